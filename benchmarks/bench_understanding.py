"""Situation understanding on the labelled corpus: category, cascades, severity floor, facts.

    uv run python benchmarks/bench_understanding.py [--split dev|holdout|holdout_c|holdout_d|all]

Runs every event of ``tests/data/understanding`` offline through the real graph and
prints, per split, family/subtype accuracy, cascade recall, SOP selection precision and
recall (the SOPs selected against those the expected category, its secondary codes and
the labelled facts call for), severity at or above the
expert's floor (and exact), fact precision/recall/F1, fact recall by path, the
confusion pairs that remain, and per language how often a precedent is found and the
top one is of the expected family (French reports meet a mostly English archive).
``holdout`` is never used to tune the rules.

It also times the first categorisation of a fresh process, cold (empty model cache:
the categoriser trains) and warm (the trained model is loaded from the cache), as the
median of a few processes; ``--no-startup`` skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from agent.domain import Category, Event, Severity, Suggestion
from agent.pack.models import Sop
from agent.rules.facts import assemble_facts
from agent.rules.selection import select_sops
from agent.service import Suggester
from agent.settings import Settings
from evals.understanding import SPLITS, UnderstandingCase, WantedSops, load_corpus, score

PROBE = """
import time
from agent.pack.loader import load_pack
from agent.rules.categorise import categorise
from agent.settings import Settings
pack = load_pack(Settings().sops_dir)
start = time.perf_counter()
categorise("Fuite d'ammoniac a l'usine, deux blesses", pack.taxonomy, sops=pack.sops)
print(1000 * (time.perf_counter() - start))
"""


def first_categorisation_ms(cache: str) -> float:
    """Milliseconds of the first categorisation in a new process using this model cache."""
    env = os.environ | {"CRISISCELL_CACHE_DIR": cache}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.split()[-1])


def startup(runs: int = 3) -> dict[str, float]:
    """Median first categorisation, cold (training) and warm (loaded from the cache)."""
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(first_categorisation_ms(cache))
            warm.append(first_categorisation_ms(cache))
    return {
        "cold_ms": round(statistics.median(cold), 1),
        "warm_ms": round(statistics.median(warm), 1),
    }


def wanted_by_labels(sops: list[Sop]) -> WantedSops:
    """The SOPs a case's labels call for: its expected codes and labelled facts, selected
    by the same rules at the severity the pipeline reached (so only the reading differs)."""

    def wanted(case: UnderstandingCase, s: Suggestion) -> list[str]:
        category = Category(
            code=case.expected.category, confidence=1.0, secondary=case.expected.secondary
        )
        severity = Severity(level=s.severity.level, unknowns=s.severity.unknowns)
        return [c.sop.id for c in select_sops(sops, category, severity, case.facts)]

    return wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="all", choices=[*SPLITS, "all"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timing")
    args = parser.parse_args()
    suggester = Suggester(settings=Settings(llm="offline"))
    suggester.warm_up()
    sites = suggester.deps.pack.sites

    def read_facts(event: Event) -> dict[str, object]:
        return assemble_facts(event, sites)[0]

    out = {}
    for split in list(SPLITS) if args.split == "all" else [args.split]:
        cases = load_corpus(split)
        start = time.perf_counter()
        wanted = wanted_by_labels(list(suggester.deps.pack.sops))
        summary = score(cases, suggester.suggest, read_facts, wanted).summary()
        summary["ms_per_case"] = round(1000 * (time.perf_counter() - start) / max(len(cases), 1), 1)
        out[split] = summary
    if not args.no_startup:
        out["startup"] = startup()
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    timing = out.pop("startup", None)
    for split, s in out.items():
        print(
            f"== {split}: {s['cases']} cases ({s['french_share']:.0%} French), "
            f"{s['ms_per_case']} ms/case"
        )
        for key in (
            "family_accuracy",
            "subtype_accuracy",
            "secondary_recall",
            "sop_precision",
            "sop_recall",
            "severity_at_or_above_floor",
            "severity_exact",
            "fact_precision",
            "fact_recall",
            "fact_f1",
            "precedent_found_en",
            "precedent_found_fr",
            "precedent_same_family_en",
            "precedent_same_family_fr",
        ):
            print(f"   {key:<28} {s[key]:.1%}")
        print(
            "   fact recall by path: "
            + ", ".join(f"{k} {v}" for k, v in list(s["fact_recall_by_path"].items())[:14])
        )
        print("   confusions: " + "; ".join(s["confusions"][:12]))
    if timing:
        print(
            f"== start-up: first categorisation {timing['cold_ms']} ms cold (trains), "
            f"{timing['warm_ms']} ms warm (model cache), median of 3 processes"
        )


if __name__ == "__main__":
    main()
