"""Benchmark: retrieval and suggest with N incidents in the store (default 1,000,000).

    uv run python benchmarks/bench_scale.py [--incidents N] [--json]

For SQLite (a file under ``--work``), and PostgreSQL too when
``CRISISCELL_TEST_POSTGRES_URL`` is set (in its own schema ``bench_scale``, so the test
tables are never touched), it prints, measured in the same run on this machine:

* bulk load of N synthetic incidents (skipped when the store already holds them);
* ``revision()`` (the cheap archive hash), index build (stream, tokenise, bm25s, save),
  and index load (a fresh ``open_retriever`` finding the saved index current);
* RSS: peak (``ru_maxrss``) and current, after each phase;
* retrieval p50/p95 per query and ``suggest`` p50/p95 in-process, with the loaded index;
* a brute-force rapidfuzz scan of every incident's text for a sample of queries (it
  takes seconds a query at 1M), with the speed-up against it.

Synthetic incidents recombine words of the shipped archive (same categories, public
marking, first three actions and two lessons of their template), so the vocabulary is
the archive's and term statistics are denser than in a real archive.
``--proposed-index`` adds the index on ``incidents.loaded_at`` to a bench store made before
migration m005 (which now creates it), so ``revision()`` drops from seconds to milliseconds.
Issue 11 target: ``suggest`` p50 <= 50 ms in-process at 1,000,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, text

from agent.context import Deps
from agent.domain import Event, Incident
from agent.event_input import event_from_file
from agent.llm.offline import OfflineLLM
from agent.pack import Pack
from agent.pack.loader import load_pack
from agent.retrieval import Retriever
from agent.retrieval_cache import open_retriever
from agent.rules.need_to_know import Clearance
from agent.service import Suggester
from agent.settings import Settings
from agent.store.archive import read_history_dir
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository

ROOT = Path(__file__).resolve().parent.parent
PG_SCHEMA = "bench_scale"
PROPOSED_INDEX = "CREATE INDEX IF NOT EXISTS ix_incidents_loaded_at ON incidents (loaded_at)"
"""What migration m005 creates: ``revision()`` is O(log n) with it."""


def percentiles(samples: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def rss_mb() -> tuple[float, float]:
    """Peak and current resident set size of this process, in MB (Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        current = pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        current = float("nan")
    return peak, current


def seconds(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def synthetic(archive: Sequence[Incident], n: int, seed: int = 7) -> Iterator[Incident]:
    """N incidents recombining words of the shipped archive, generated one at a time."""
    rng = random.Random(seed)
    vocabulary = [w for i in archive for w in i.summary.split()]
    for k in range(n):
        template = archive[k % len(archive)]
        words = template.summary.split()
        sample = rng.sample(words, min(len(words), 25)) + rng.sample(vocabulary, 15)
        yield template.model_copy(
            update={
                "id": f"SYN-{k:07d}",
                "title": " ".join(rng.sample(vocabulary, 6)),
                "summary": " ".join(sample),
                "site": None,
                "marking": "public",
                "compartments": [],
                "actions": template.actions[:3],
                "lessons": template.lessons[:2],
            }
        )


def fill(repo: IncidentRepository, archive: Sequence[Incident], n: int) -> float | None:
    """Bulk-load the archive plus N synthetic incidents; None when already there."""
    if repo.count() == n + len(archive):
        return None
    if repo.count():
        raise SystemExit("the bench store holds another archive; remove it or use --work")
    start = time.perf_counter()
    repo.add_new(archive, source="history")
    repo.add_new(synthetic(archive, n), source="synthetic")
    return time.perf_counter() - start


def suggest_latency(deps: Deps, events: Sequence[Event], rounds: int) -> list[float]:
    suggester = Suggester(deps=deps)
    suggester.warm_up()
    suggester.suggest(events[0])
    samples = []
    for _ in range(rounds):
        for event in events:
            start = time.perf_counter()
            suggester.suggest(event)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def bench_store(
    name: str, engine: Engine, args: argparse.Namespace, fixtures: Fixtures
) -> dict[str, float]:
    """Every figure for one store."""
    archive, taxonomy = fixtures.archive, fixtures.pack.taxonomy
    repo = IncidentRepository(engine)
    out: dict[str, float] = {}
    loaded = fill(repo, archive, args.incidents)
    out["bulk_load_s"] = float("nan") if loaded is None else loaded
    out["incidents"] = float(repo.count())
    if args.proposed_index:
        with engine.begin() as conn:  # the bench's own store only; not a migration
            conn.execute(text(PROPOSED_INDEX))
    out["revision_ms"] = seconds(repo.revision)[0] * 1000
    cache = Path(args.work) / f"cache-{name}"
    for old in cache.glob("retrieval/*.npz"):
        old.unlink()  # measure a real build
    out["index_build_s"], _ = seconds(lambda: open_retriever(repo, taxonomy, directory=cache))
    out["rss_after_build_peak_mb"], out["rss_after_build_mb"] = rss_mb()
    out["index_load_s"], retriever = seconds(
        lambda: open_retriever(repo, taxonomy, directory=cache)
    )
    assert isinstance(retriever, Retriever)
    out["index_file_mb"] = sum(p.stat().st_size for p in cache.glob("retrieval/*.npz")) / 2**20
    out |= query_figures(retriever, repo, fixtures, args)
    out["rss_end_peak_mb"], out["rss_end_mb"] = rss_mb()
    return out


def query_figures(
    retriever: Retriever,
    repo: IncidentRepository,
    fixtures: Fixtures,
    args: argparse.Namespace,
) -> dict[str, float]:
    events = fixtures.events
    texts = [e.text for e in events]
    retriever.search(texts[0])
    indexed = [_ms(retriever.search, t) for t in texts * args.rounds]
    out: dict[str, float] = {}
    out["retrieval_p50_ms"], out["retrieval_p95_ms"] = percentiles(indexed)
    settings = fixtures.settings
    deps = Deps(
        llm=OfflineLLM(),
        settings=settings,
        pack_override=fixtures.pack,
        incidents_override=retriever.incidents,
    )
    # every bench incident is public: the visible index is the index over everything
    # (under both keys, so Deps never builds another from the sequence)
    for key in (str(Clearance.parse(settings.clearance)), "*"):
        deps._retrievers[key] = retriever
    out["suggest_p50_ms"], out["suggest_p95_ms"] = percentiles(
        suggest_latency(deps, events, args.rounds)
    )
    out |= brute_force(fixtures, texts[: args.brute_queries], args.incidents)
    out["speedup_x"] = out["brute_force_p50_ms"] / out["retrieval_p50_ms"]
    return out


def brute_force(fixtures: Fixtures, queries: list[str], n: int) -> dict[str, float]:
    """rapidfuzz over the same texts retrieval indexes (title and summary), per query."""
    archive: list[Incident] = fixtures.archive
    corpus = [i.search_text for i in archive] + [i.search_text for i in synthetic(archive, n)]
    samples = [_ms(_scan, q, corpus) for q in queries]
    return {"brute_force_p50_ms": statistics.median(samples), "brute_queries": len(queries)}


def _scan(query: str, corpus: list[str]) -> object:
    return process.extract(query, corpus, scorer=fuzz.token_set_ratio, limit=5)


def _ms(fn: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def pg_engine(url: str) -> Engine:
    """An engine whose tables live in the bench's own schema of the test database."""
    setup = make_engine(url)
    with setup.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}"))
    setup.dispose()
    joiner = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{joiner}options=-csearch_path%3D{PG_SCHEMA}")
    init_db(engine)
    return engine


def shipped_deps(fixtures: Fixtures) -> Deps:
    """The baseline: the shipped archive in memory, the index built as before."""
    return Deps(
        llm=OfflineLLM(),
        settings=fixtures.settings,
        pack_override=fixtures.pack,
        incidents_override=fixtures.archive,
    )


@dataclass(frozen=True)
class Fixtures:
    """What every store is measured with: the pack, the example events, the archive."""

    settings: Settings
    pack: Pack
    events: list[Event]
    archive: list[Incident]


def fixtures_for() -> Fixtures:
    settings = Settings()
    events = [event_from_file(p) for p in sorted((ROOT / "examples" / "events").glob("*.yaml"))]
    archive = [
        i.model_copy(update={"marking": "public", "compartments": []})
        for i in read_history_dir(settings.history_dir)
    ]
    return Fixtures(settings, load_pack(settings.sops_dir), events, archive)


def shipped_baseline(fixtures: Fixtures, rounds: int) -> float:
    """Suggest p50 on the shipped archive in memory: what the pipeline costs without scale."""
    p50, p95 = percentiles(suggest_latency(shipped_deps(fixtures), fixtures.events, rounds))
    print(
        f"[baseline] suggest in-process, shipped archive ({len(fixtures.archive)} incidents, "
        f"in memory): p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    return p50


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--brute-queries", type=int, default=3, help="brute-force sample")
    parser.add_argument("--work", default="/tmp/crisiscell-bench-scale")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--proposed-index", action="store_true", help="add the loaded_at index to the bench store"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    fixtures = fixtures_for()
    db = Path(args.work) / f"archive-{args.incidents}.db"
    stores: dict[str, Callable[[], Engine]] = {"sqlite": lambda: make_engine(f"sqlite:///{db}")}
    url = os.environ.get("CRISISCELL_TEST_POSTGRES_URL")
    if url and not args.no_postgres:
        stores["postgresql"] = lambda: pg_engine(url)
    if args.no_sqlite:
        stores.pop("sqlite")
    baseline = float("nan") if args.no_baseline else shipped_baseline(fixtures, args.rounds)
    results: dict[str, dict[str, float]] = {}
    for name, open_engine in stores.items():
        engine = open_engine()
        init_db(engine)
        results[name] = bench_store(name, engine, args, fixtures)
        results[name]["suggest_shipped_p50_ms"] = baseline
        engine.dispose()
        _report(name, results[name], args.json)
    if args.json:
        print(json.dumps({k: {n: round(v, 3) for n, v in r.items()} for k, r in results.items()}))


def _report(name: str, r: dict[str, float], as_json: bool) -> None:
    if as_json:
        return
    load = "already loaded" if r["bulk_load_s"] != r["bulk_load_s"] else f"{r['bulk_load_s']:.0f} s"
    lines = [
        f"[{name}] {r['incidents']:,.0f} incidents; bulk load: {load}",
        f"  revision(): {r['revision_ms']:.0f} ms",
        f"  index build (stream + tokenise + bm25s + save): {r['index_build_s']:.1f} s; "
        f"file {r['index_file_mb']:.0f} MB",
        f"  index load (saved, current): {r['index_load_s']:.2f} s "
        f"(x{r['index_build_s'] / r['index_load_s']:.0f} faster than a build)",
        f"  RSS after build: peak {r['rss_after_build_peak_mb']:.0f} MB, now "
        f"{r['rss_after_build_mb']:.0f} MB; at the end: peak {r['rss_end_peak_mb']:.0f} MB, "
        f"now {r['rss_end_mb']:.0f} MB",
        f"  retrieval per query: p50 {r['retrieval_p50_ms']:.1f} ms, p95 "
        f"{r['retrieval_p95_ms']:.1f} ms",
        f"  suggest in-process: p50 {r['suggest_p50_ms']:.1f} ms, p95 {r['suggest_p95_ms']:.1f}"
        f" ms (target p50 <= 50 ms); x{r['suggest_p50_ms'] / r['suggest_shipped_p50_ms']:.2f}"
        " the shipped-archive baseline",
        f"  brute-force rapidfuzz over every text ({r['brute_queries']:.0f} queries sampled): "
        f"p50 {r['brute_force_p50_ms']:.0f} ms; retrieval x{r['speedup_x']:.0f} faster",
    ]
    print("\n".join(lines))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
