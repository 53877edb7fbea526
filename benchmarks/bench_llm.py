"""Benchmark: what crisiscell adds around a real model, behind a loopback OpenAI-compatible server.

The server (``tests/llm/server.py``) answers every call after a fixed delay
(default 200 ms) with a well-formed tool call: the expected category of the
example event, then a compliant scenario built from the SOP steps it was sent.
For the shipped example events it measures, in the same run:

* wall time of ``Suggester.suggest`` against the sum of the server's delays:
  framework overhead = (wall - delays) / wall (target <= 5 %);
* LLM calls per suggestion (target <= 3 when no repair round is needed);
* the same with the SQL call log on (the default) and off.

Run: ``uv run python benchmarks/bench_llm.py [--delay-ms 200] [--rounds 3] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.context import Deps  # noqa: E402
from agent.domain import Event, Suggestion  # noqa: E402
from agent.event_input import event_from_file  # noqa: E402
from agent.llm.factory import make_llm  # noqa: E402
from agent.pack.loader import load_pack  # noqa: E402
from agent.service import Suggester  # noqa: E402
from agent.settings import Settings  # noqa: E402
from agent.store.archive import read_history_dir  # noqa: E402
from tests.llm.server import Body, FakeOpenAI, LoopbackServer, Reply, good_model  # noqa: E402

EXAMPLES = ROOT / "examples" / "events"


def load_events() -> tuple[list[Event], dict[str, str]]:
    """The example events, and event text -> expected category (the scripted model's answer)."""
    expected = yaml.safe_load((ROOT / "examples" / "expected.yaml").read_text())
    events, oracle = [], {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        event = event_from_file(path)
        events.append(event)
        oracle[event.text] = expected[path.name]["category"]
    return events, oracle


def delayed(model: Any, delay_s: float) -> Any:
    """Wrap a script so that every reply waits ``delay_s`` on the server."""

    def script(body: Body) -> Reply:
        reply: Reply = model(body)
        reply.delay_s = delay_s
        return reply

    return script


def serve(conn: Connection, delay_s: float, oracle: dict[str, str]) -> None:
    """Child process: the scripted model, so it does not share the GIL with crisiscell."""
    fake = FakeOpenAI(delayed(good_model(lambda facts: oracle[facts["event"]["text"]]), delay_s))
    with LoopbackServer(fake) as server:
        conn.send(server.url)
        while (message := conn.recv()) != "stop":
            if message == "reset":
                fake.delays_s = 0.0
            conn.send(fake.delays_s)


def run(
    events: list[Event], oracle: dict[str, str], delay_s: float, rounds: int, log: bool,
    tmp_home: Path,
) -> dict[str, float]:
    """Suggest every event ``rounds`` times through the delayed server; figures of the run."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve, args=(child, delay_s, oracle), daemon=True)
    process.start()
    try:
        url = parent.recv()
        suggester = make_suggester(url, log, tmp_home)
        suggester.suggest(events[0])  # first-call costs (imports, connections) out of the way
        parent.send("reset")
        parent.recv()
        results: list[tuple[float, Suggestion]] = []
        start = time.perf_counter()
        for _ in range(rounds):
            for event in events:
                t = time.perf_counter()
                suggestion = suggester.suggest(event)
                results.append((time.perf_counter() - t, suggestion))
        wall = time.perf_counter() - start
        parent.send("delays")
        delays = float(parent.recv())
        parent.send("stop")
    finally:
        process.join(timeout=5)
    return summarise(results, wall, delays)


def make_suggester(url: str, log: bool, home: Path) -> Suggester:
    """A suggester on the shipped pack and archive whose model is the loopback server."""
    settings = Settings(
        llm="openai:bench-model", openai_base_url=url, openai_api_key="bench",
        llm_max_retries=0, llm_log=log, home=home,
    )
    suggester = Suggester(
        deps=Deps(
            llm=make_llm(settings), settings=settings,
            pack_override=load_pack(settings.sops_dir),
            incidents_override=read_history_dir(settings.history_dir),
        )
    )
    suggester.warm_up()
    return suggester


def summarise(
    results: list[tuple[float, Suggestion]], wall: float, delays: float
) -> dict[str, float]:
    """Overhead and calls per suggestion."""
    calls = [s.usage.calls for _, s in results]
    n = len(results)
    return {
        "suggestions": n,
        "wall_s": wall,
        "server_delay_s": delays,
        "overhead_ms_per_suggestion": (wall - delays) / n * 1000,
        "overhead_pct": (wall - delays) / wall * 100,
        "suggest_p50_ms": statistics.median(t for t, _ in results) * 1000,
        "client_ms_per_suggestion": (sum(s.usage.latency_ms for _, s in results) / 1000 - delays)
        / n * 1000,
        "calls_per_suggestion_mean": statistics.mean(calls),
        "calls_per_suggestion_max": max(calls),
        "degraded": sum(1 for _, s in results if s.degraded),
        "non_compliant": sum(
            1 for _, s in results
            if not all(sc.adherence and sc.adherence.compliant for sc in s.scenarios)
        ),
        "llm_scenarios": sum(1 for _, s in results if s.scenarios[0].origin == "llm"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=200.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    events, oracle = load_events()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        figures = {
            "log_on": run(events, oracle, args.delay_ms / 1000, args.rounds, True, Path(tmp)),
            "log_off": run(events, oracle, args.delay_ms / 1000, args.rounds, False, Path(tmp)),
        }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for label, f in figures.items():
        print(
            f"[call log {label[4:]}] {f['suggestions']:.0f} suggestions, server delay "
            f"{args.delay_ms:.0f} ms/call: wall {f['wall_s']:.2f} s, server delays "
            f"{f['server_delay_s']:.2f} s -> overhead {f['overhead_ms_per_suggestion']:.1f} ms "
            f"per suggestion = {f['overhead_pct']:.1f} % of wall time (target <= 5 %)"
        )
        print(
            f"    of which model client and HTTP {f['client_ms_per_suggestion']:.1f} ms, graph and"
            f" rules {f['overhead_ms_per_suggestion'] - f['client_ms_per_suggestion']:.1f} ms"
        )
        print(
            f"    LLM calls per suggestion: mean {f['calls_per_suggestion_mean']:.2f}, max "
            f"{f['calls_per_suggestion_max']:.0f} (target <= 3 with no repair); degraded "
            f"{f['degraded']:.0f}, non-compliant {f['non_compliant']:.0f}, "
            f"LLM scenarios kept {f['llm_scenarios']:.0f}; suggest p50 {f['suggest_p50_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
