"""Benchmark: offline eval replay throughput (cases per second) at concurrency 1 and 4.

Replays N cases (default 1,000) of a suite (default ``archive``, cycled with
renamed copies when it has fewer cases) through the offline graph, scoring each
one, on 1 and 4 threads that share one Suggester. Prints the figures measured on
this machine; target (issue 6): 1,000 cases in <= 60 s.

Run: ``uv run python benchmarks/bench_evals.py [--cases 1000] [--suite safenet]
[--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time

from agent.settings import Settings
from evals.case import EvalCase
from evals.runner import RunConfig, make_suggester, run_cases
from evals.suites import Suite, load_suite


def cycled(suite: Suite, n: int) -> Suite:
    """``n`` cases: the suite's own, then renamed copies (same content) as needed."""
    cases: list[EvalCase] = []
    k = 0
    while len(cases) < n:
        for case in suite.cases[: n - len(cases)]:
            cases.append(case if k == 0 else case.model_copy(update={"name": f"{case.name}~{k}"}))
        k += 1
    return Suite(suite.name, cases, suite.source, suite.extra_incidents)


def measure(suite: Suite, concurrency: int) -> dict[str, float]:
    settings = Settings(llm="offline")
    start = time.perf_counter()
    suggester = make_suggester(settings, suite)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    results = run_cases(suite, suggester, RunConfig(suite=suite.name, concurrency=concurrency))
    elapsed = time.perf_counter() - start
    steps = sum(len(r.steps) for r in results)
    return {
        "concurrency": concurrency,
        "cases": len(results),
        "suggestions": steps,
        "setup_s": round(setup, 2),
        "replay_s": round(elapsed, 2),
        "cases_per_s": round(len(results) / elapsed, 1),
        "s_per_1000_cases": round(1000 * elapsed / len(results), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--suite", default="archive")
    parser.add_argument("--profile", action="store_true", help="cProfile the 1-thread run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    suite = cycled(load_suite(args.suite), args.cases)
    if args.profile:
        cProfile.runctx("measure(suite, 1)", globals(), {"suite": suite}, "/tmp/bench_evals.prof")
        pstats.Stats("/tmp/bench_evals.prof").sort_stats("cumulative").print_stats(25)
        return
    rows = [measure(suite, c) for c in (1, 4)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        print(
            f"{args.suite}, {row['cases']} cases ({row['suggestions']} suggestions), "
            f"concurrency {row['concurrency']}: {row['replay_s']} s, {row['cases_per_s']} cases/s,"
            f" {row['s_per_1000_cases']} s per 1,000 cases (setup {row['setup_s']} s; "
            "target <= 60 s)"
        )


if __name__ == "__main__":
    main()
