"""Situation understanding on the labelled corpus: category, cascades, severity floor, facts.

    uv run python benchmarks/bench_understanding.py [--split dev|holdout|all]

Runs every event of ``tests/data/understanding`` offline through the real graph and
prints, per split, family/subtype accuracy, cascade recall, severity at or above the
expert's floor (and exact), fact precision/recall/F1, fact recall by path and the
confusion pairs that remain. ``holdout`` is never used to tune the rules.
"""

from __future__ import annotations

import argparse
import json
import time

from agent.domain import Event
from agent.rules.facts import assemble_facts
from agent.service import Suggester
from agent.settings import Settings
from evals.understanding import load_corpus, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="all", choices=["dev", "holdout", "all"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    suggester = Suggester(settings=Settings(llm="offline"))
    suggester.warm_up()
    sites = suggester.deps.pack.sites

    def read_facts(event: Event) -> dict[str, object]:
        return assemble_facts(event, sites)[0]

    out = {}
    for split in ["dev", "holdout"] if args.split == "all" else [args.split]:
        cases = load_corpus(split)
        start = time.perf_counter()
        summary = score(cases, suggester.suggest, read_facts).summary()
        summary["ms_per_case"] = round(1000 * (time.perf_counter() - start) / max(len(cases), 1), 1)
        out[split] = summary
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for split, s in out.items():
        print(
            f"== {split}: {s['cases']} cases ({s['french_share']:.0%} French), "
            f"{s['ms_per_case']} ms/case"
        )
        for key in (
            "family_accuracy",
            "subtype_accuracy",
            "secondary_recall",
            "severity_at_or_above_floor",
            "severity_exact",
            "fact_precision",
            "fact_recall",
            "fact_f1",
        ):
            print(f"   {key:<28} {s[key]:.1%}")
        print(
            "   fact recall by path: "
            + ", ".join(f"{k} {v}" for k, v in list(s["fact_recall_by_path"].items())[:14])
        )
        print("   confusions: " + "; ".join(s["confusions"][:12]))


if __name__ == "__main__":
    main()
