"""Cold start: ``crisiscell suggest`` as a process, beside the floors it cannot go under.

    uv run python benchmarks/bench_startup.py [--runs 7] [--json] [--against DIR]

Runs the real CLI (``python -m agent suggest --file EXAMPLE``, the twelve shipped examples
in turn) as a fresh process, offline, in a home whose archive is already loaded and whose
caches have seen each example once (as on a cell's machine after the first runs), and
prints its wall-time p50/p95 and its CPU time (user + system of the process, which a
busy machine inflates far less than wall time) beside two baselines measured in the same
run on the same machine: a bare interpreter, and an interpreter that only imports
LangGraph's graph module (a fixed workload that is not ours: an offline run no longer
imports it, model-backed runs and crisis threads still do). The ratio to it says how
long a start is whatever else the machine is doing. Also ``crisiscell version`` (a
command that reads no report), ``novel``: a report with a word no cache holds yet (each run
a new one, so the lemmatiser's dictionaries are opened: a new report's worst case), and
the imports an offline run must never pay for. The
series are interleaved (one run of each in turn), so a machine that gets busier mid-run
slows them all alike.

``--against DIR`` also times ``suggest`` from another checkout of crisiscell (say the
previous commit, ``git worktree add``), in the same interpreter and the same run: a
before/after that a shared machine cannot skew. Issue 11 target: p50 <= 1.0 s on this
2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENT = "Ammonia smell near the compressor room, one worker coughing"
EXAMPLES = sorted((ROOT / "examples" / "events").glob("*.yaml"))
"""The ``suggest`` series takes the shipped examples in turn (one to five SOPs, EN and FR):
one repeated event hides the cost of what it does not need, such as merging two SOPs."""
NOVEL = "Quelbrix spill near the {n}th gantry, one fitter dizzy"
"""The ``novel`` series: a word no cache has seen, each run (a new report's worst case)."""
NEVER_OFFLINE = (
    "langgraph",
    "langchain_core",
    "langsmith",
    "langgraph_sdk",
    "httpx",
    "langchain_openai",
    "openai",
    "streamlit",
    "evals",
    "agent.graph",
    "agent.crisis.service",
)
PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['crisiscell', 'suggest', {event!r}]\n"
    "try:\n    runpy.run_module('agent', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "print('LOADED', [m for m in {never!r} if m in sys.modules], file=sys.stderr)\n"
)


def timed(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Wall time and CPU time (user + system) of one process, and what it printed on stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{args[:3]} failed ({done.returncode}): {done.stderr[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stderr


Samples = dict[str, list[float]]
Command = tuple[Callable[[int], list[str]], Path]
"""The arguments of run ``i`` of a series, and where it runs."""


def interleaved(
    commands: dict[str, Command], env: dict[str, str], runs: int
) -> tuple[Samples, Samples]:
    """``runs`` wall and CPU times of each command, one of each in turn."""
    wall: Samples = {name: [] for name in commands}
    cpu: Samples = {name: [] for name in commands}
    for run in range(runs):
        for name, (args_of, cwd) in commands.items():
            elapsed, used, _ = timed(args_of(run), env, cwd)
            wall[name].append(elapsed)
            cpu[name].append(used)
    return wall, cpu


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(
    env: dict[str, str], runs: int, against: Path | None
) -> tuple[dict[str, object], Samples, Samples]:
    """The first runs (archive loaded, caches filled), the probe, then the timed series."""
    agent = [sys.executable, "-m", "agent"]
    suggest = [*agent, "suggest", EVENT]
    first = timed(suggest, env)[0]  # loads the archive into the store, fills the caches
    figures: dict[str, object] = {"first_run_s": round(first, 3)}
    checkouts = [ROOT] if against is None else [ROOT, against.resolve()]
    for checkout in checkouts:  # each example once: its words reach the caches
        for path in EXAMPLES:
            timed([*agent, "suggest", "--file", str(path)], env, checkout)
    probe = PROBE.format(event=EVENT, never=NEVER_OFFLINE)
    printed = timed([sys.executable, "-c", probe], env)[2]
    figures["loaded_never_offline"] = printed.strip().rsplit("LOADED ", 1)[-1]

    def example(run: int) -> list[str]:
        return [*agent, "suggest", "--file", str(EXAMPLES[run % len(EXAMPLES)])]

    def novel(run: int) -> list[str]:
        return [*agent, "suggest", NOVEL.format(n=f"{os.getpid()}{run}")]

    commands: dict[str, Command] = {
        "suggest": (example, ROOT),
        "novel": (novel, ROOT),
        "version": (lambda _: [*agent, "version"], ROOT),
        "python": (lambda _: [sys.executable, "-c", "pass"], ROOT),
        "langgraph": (lambda _: [sys.executable, "-c", "import langgraph.graph"], ROOT),
    }
    if against is not None:
        commands["against"] = (example, against.resolve())
        commands["against_novel"] = (novel, against.resolve())
    return figures, *interleaved(commands, env, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--against", type=Path, help="another checkout to time beside this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CRISISCELL_HOME": home, "CRISISCELL_LLM": "offline"}
        env["CRISISCELL_CACHE_DIR"] = str(Path(home) / "cache")
        figures, wall, cpu = measure(env, args.runs, args.against)
    for name, runs in wall.items():
        p50, p95 = p50_p95(runs)
        figures[f"{name}_p50_s"], figures[f"{name}_p95_s"] = round(p50, 3), round(p95, 3)
        figures[f"{name}_cpu_p50_s"] = round(statistics.median(cpu[name]), 3)
    for name in ("suggest", "novel", "against", "against_novel"):
        if name in wall:
            ratio = statistics.median(wall[name]) / statistics.median(wall["langgraph"])
            figures[f"{name}_over_langgraph"] = round(ratio, 2)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:<26} {value}")


if __name__ == "__main__":
    main()
