"""Steps per suggestion (all scenarios together): what a cell has to read.

    uv run python benchmarks/bench_steps.py [--split dev|holdout|holdout_c|holdout_d|none] [--json]

Runs the shipped examples (``examples/events``) and, unless ``--split none``, the
understanding corpus split offline through the real graph, and prints the median,
min and max of the number of steps per suggestion (summed over its scenarios), plus
the number of steps that carry merged citations (``also_cites``), and the step lines the
briefing prints (a scenario drawn from an earlier one lists only its own steps in full:
:mod:`agent.shared_steps`), and what drives the total: the median steps of each scenario
(0 when absent) and the median number of SOPs selected. Issue 11 target: median <= 30 on
both.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from agent.domain import Event, Suggestion
from agent.event_input import event_from_file
from agent.service import Suggester
from agent.settings import Settings
from agent.shared_steps import steps_read
from evals.understanding import SPLITS, load_corpus

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "events"


def _counts(suggestions: list[Suggestion]) -> dict[str, object]:
    totals = [sum(len(sc.steps) for sc in s.scenarios) for s in suggestions]
    printed = [steps_read(s.scenarios) for s in suggestions]
    merged = [
        sum(1 for sc in s.scenarios for st in sc.steps if getattr(st, "also_cites", None))
        for s in suggestions
    ]
    return {
        "events": len(totals),
        "median_steps": statistics.median(totals) if totals else 0.0,
        "min_steps": min(totals, default=0),
        "max_steps": max(totals, default=0),
        "median_merged_steps": statistics.median(merged) if merged else 0.0,
        "median_steps_read": statistics.median(printed) if printed else 0.0,
        "max_steps_read": max(printed, default=0),
        "median_sops": statistics.median(len(s.sops) for s in suggestions) if totals else 0.0,
        "median_by_scenario": _by_scenario(suggestions),
    }


def _by_scenario(suggestions: list[Suggestion]) -> dict[str, float]:
    """Median steps of each scenario id over the suggestions, 0 where it is absent."""
    ids = sorted({sc.id for s in suggestions for sc in s.scenarios})
    sizes = [{sc.id: len(sc.steps) for sc in s.scenarios} for s in suggestions]
    return {i: statistics.median(d.get(i, 0) for d in sizes) for i in ids}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=[*SPLITS, "none"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    suggester = Suggester(settings=Settings(llm="offline"))
    suggester.warm_up()
    events = [event_from_file(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    out = {"examples": _counts([suggester.suggest(e) for e in events])}
    if args.split != "none":
        cases = load_corpus(args.split)
        runs = [suggester.suggest(Event(text=c.text, language=c.lang)) for c in cases]
        out[f"understanding_{args.split}"] = _counts(runs)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for name, c in out.items():
        print(
            f"{name:<22} {c['events']:>4} events  median {c['median_steps']:>5} steps "
            f"(min {c['min_steps']}, max {c['max_steps']}), "
            f"median merged steps {c['median_merged_steps']}\n"
            f"{'':<22} {'':>4}         median {c['median_steps_read']:>5} step lines printed "
            f"(shared steps once; max {c['max_steps_read']})\n"
            f"{'':<22} {'':>4}         median by scenario {c['median_by_scenario']}, "
            f"median {c['median_sops']} SOPs selected"
        )


if __name__ == "__main__":
    main()
