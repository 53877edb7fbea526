"""Benchmark: suggest latency and retrieval speed, beside a brute-force baseline.

Prints figures and ratios measured in the same run, on this machine:

* in-process p50/p95 of ``suggest`` on the shipped pack and archive;
* the same with N synthetic incidents (default 100,000) in the archive;
* retrieval per query at N, beside a brute-force rapidfuzz scan of every incident.

Targets (issue 2): suggest p50 <= 50 ms at 100k incidents; retrieval >= 100x faster
than brute force at 100k. Run: ``uv run python benchmarks/bench_suggest.py``.
At 1,000,000 incidents in a store, with the persisted index: ``benchmarks/bench_scale.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from rapidfuzz import fuzz, process

from agent.context import Deps
from agent.domain import Event, Incident
from agent.event_input import event_from_file
from agent.llm.offline import OfflineLLM
from agent.pack.loader import load_pack
from agent.retrieval import Retriever
from agent.rules.need_to_know import Clearance
from agent.service import Suggester
from agent.settings import Settings
from agent.store.archive import read_history_dir

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def synthetic(archive: Sequence[Incident], n: int, seed: int = 7) -> list[Incident]:
    """N incidents built by recombining words of the shipped archive, same categories."""
    rng = random.Random(seed)
    vocabulary = [w for i in archive for w in i.summary.split()]
    out = []
    for k in range(n):
        template = archive[k % len(archive)]
        words = template.summary.split()
        sample = rng.sample(words, min(len(words), 25)) + rng.sample(vocabulary, 15)
        out.append(
            template.model_copy(
                update={
                    "id": f"SYN-{k:06d}",
                    "title": " ".join(rng.sample(vocabulary, 6)),
                    "summary": " ".join(sample),
                    "site": None,
                }
            )
        )
    return out


def suggest_latency(suggester: Suggester, events: Sequence[Event], rounds: int) -> list[float]:
    suggester.warm_up()
    suggester.suggest(events[0])
    samples: list[float] = []
    for _ in range(rounds):
        for event in events:
            samples += timed(partial(suggester.suggest, event), 1)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=5, help="brute-force queries (slow)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = Settings()
    pack = load_pack(settings.sops_dir)
    archive = read_history_dir(settings.history_dir)
    events = [event_from_file(p) for p in sorted((ROOT / "examples" / "events").glob("*.yaml"))]
    results: dict[str, float] = {"events": len(events), "shipped_incidents": len(archive)}

    shipped = Suggester(
        deps=Deps(
            llm=OfflineLLM(), settings=settings, pack_override=pack, incidents_override=archive
        )
    )
    p50, p95 = percentiles(suggest_latency(shipped, events, args.rounds))
    results |= {"suggest_shipped_p50_ms": p50, "suggest_shipped_p95_ms": p95}

    big = synthetic(archive, args.incidents)
    start = time.perf_counter()
    retriever = Retriever(big, pack.taxonomy)
    results["index_build_s"] = time.perf_counter() - start
    deps = Deps(llm=OfflineLLM(), settings=settings, pack_override=pack, incidents_override=big)
    # reuse the index built above (every shipped incident is public: visible to any clearance)
    deps._retrievers[str(Clearance.parse(settings.clearance))] = retriever
    p50, p95 = percentiles(suggest_latency(Suggester(deps=deps), events, args.rounds))
    results |= {"incidents": len(big), "suggest_big_p50_ms": p50, "suggest_big_p95_ms": p95}

    queries = [e.text for e in events][: args.queries]
    indexed = [t for q in queries for t in timed(partial(retriever.search, q), 3)]
    texts = [i.search_text for i in big]
    brute = [
        t
        for q in queries
        for t in timed(partial(process.extract, q, texts, scorer=fuzz.token_set_ratio, limit=5), 1)
    ]
    results |= {
        "retrieval_p50_ms": statistics.median(indexed),
        "brute_force_p50_ms": statistics.median(brute),
    }
    results["retrieval_speedup_x"] = results["brute_force_p50_ms"] / results["retrieval_p50_ms"]
    _report(results, args.json)


def _report(results: dict[str, float], as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: round(v, 3) for k, v in results.items()}, indent=2))
        return
    print(
        f"suggest, shipped pack ({results['shipped_incidents']:.0f} incidents): "
        f"p50 {results['suggest_shipped_p50_ms']:.1f} ms, p95 "
        f"{results['suggest_shipped_p95_ms']:.1f} ms"
    )
    print(f"index build, {results['incidents']:.0f} incidents: {results['index_build_s']:.1f} s")
    print(
        f"suggest, {results['incidents']:.0f} incidents: p50 {results['suggest_big_p50_ms']:.1f}"
        f" ms, p95 {results['suggest_big_p95_ms']:.1f} ms (target p50 <= 50 ms)"
    )
    print(
        f"retrieval per query: {results['retrieval_p50_ms']:.2f} ms; brute-force rapidfuzz: "
        f"{results['brute_force_p50_ms']:.0f} ms; speed-up x{results['retrieval_speedup_x']:.0f}"
        " (target >= 100)"
    )


if __name__ == "__main__":
    main()
