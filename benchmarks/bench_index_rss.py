"""Benchmark: peak RSS of building the retrieval index, streamed token ids vs token lists.

    uv run python benchmarks/bench_index_rss.py --db /tmp/bench200k/archive-200000.db

Reads every incident of a SQLite store made by ``bench_scale.py`` and builds the index
twice, each in a fresh process: as ``crisiscell`` builds it (``build_index``: each
incident's terms as int32 ids as they are streamed) and as a baseline handing bm25s the
corpus as token lists (how it was built before). Prints build time, peak RSS and the
RSS added by the build, and the ratio of the two.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _measure(mode: str, db: str) -> dict[str, float]:
    import bm25s
    from sqlalchemy import create_engine

    from agent.retrieval import document_tokens
    from agent.retrieval_cache import build_index
    from agent.retrieval_index import _PARAMS, EMPTY
    from agent.store.incidents import IncidentRepository

    repo = IncidentRepository(create_engine(f"sqlite:///{db}"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if mode == "streamed":
        build_index(repo.stream(), None)
    else:
        corpus = [document_tokens(i, None) or [EMPTY] for i in repo.stream()]
        bm25s.BM25(**_PARAMS, csc_backend="numpy").index(
            corpus, create_empty_token=False, show_progress=False
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"build_s": time.perf_counter() - start, "peak_mb": peak, "added_mb": peak - before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a SQLite store made by bench_scale.py")
    parser.add_argument("--mode", choices=["streamed", "token-lists"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(_measure(args.mode, args.db)))
        return
    runs = {}
    for mode in ("token-lists", "streamed"):
        out = subprocess.run(
            [sys.executable, __file__, "--db", args.db, "--mode", mode],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs[mode] = json.loads(out.strip().splitlines()[-1])
        r = runs[mode]
        print(
            f"{mode:<12} build {r['build_s']:.1f} s, peak RSS {r['peak_mb']:.0f} MB "
            f"({r['added_mb']:.0f} MB added by the build)"
        )
    ratio = runs["streamed"]["added_mb"] / runs["token-lists"]["added_mb"]
    print(f"streamed / token lists, RSS added: x{ratio:.2f}")


if __name__ == "__main__":
    main()
