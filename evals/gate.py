"""The CI gate: offline results on every available suite against ``evals/baseline.json``.

Real-data suites are sampled to a fixed, deterministic :data:`GATE_SAMPLE` cases
(by a hash of the case name) so the gate stays fast; suites whose data folder is
absent are skipped. The gate fails when

* a "higher is better" metric drops more than :data:`TOLERANCE` below the
  baseline (absolute: 0.02 = 2 points of accuracy; 2.0 points of graded score);
* or an invariant breaks: SOP compliance below 100 %, any forbidden action
  suggested, any replay error.

The offline backend is deterministic, so any drop is a real change, not noise.
Improvements pass and are reported; ``crisiscell eval baseline`` records them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.settings import Settings
from evals.runner import RunConfig, run_suite
from evals.suites import (
    EVALS_DIR,
    REAL_DATA_SUITES,
    SUITES,
    Suite,
    SuiteUnavailable,
    load_suite,
)
from evals.summary import summarise

BASELINE = EVALS_DIR / "baseline.json"
GATE_SAMPLE = 60
HIGHER_IS_BETTER = (
    "category_family_accuracy",
    "category_subtype_accuracy",
    "severity_within_one",
    "precedent_recall_at_5",
    "precedent_mrr",
    "action_coverage",
    "score",
)
INVARIANTS: dict[str, float] = {
    "sop_compliance_rate": 1.0,
    "forbidden_action_rate": 0.0,
    "error_rate": 0.0,
}
"""Metric -> the only acceptable value (when the metric applies to the suite)."""
TOLERANCE: dict[str, float] = {**dict.fromkeys(HIGHER_IS_BETTER, 0.02), "score": 2.0}


@dataclass(frozen=True)
class Check:
    """One metric of one suite against the baseline."""

    suite: str
    metric: str
    baseline: float | None
    current: float | None
    ok: bool
    note: str = ""


def gate_metrics(summary: dict[str, Any]) -> dict[str, Any]:
    """The part of a run summary the baseline records."""
    keys = (*HIGHER_IS_BETTER, *INVARIANTS, "degraded_rate")
    return {"cases": summary["cases"], **{k: summary.get(k) for k in keys}}


def gate_suite(name: str, data_dir: Path | None = None) -> Suite:
    """A suite as the gate runs it (real-data suites sampled).

    Raises:
        SuiteUnavailable: its data is absent.
    """
    suite = load_suite(name, data_dir)
    return suite.sample(GATE_SAMPLE) if name in REAL_DATA_SUITES else suite


def measure(
    names: Sequence[str] = tuple(SUITES),
    data_dir: Path | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Offline gate metrics of each available suite (skipped suites are reported)."""
    settings = Settings(llm="offline")
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        try:
            suite = gate_suite(name, data_dir)
        except SuiteUnavailable as exc:
            if on_skip is not None:
                on_skip(name, str(exc))
            continue
        run = run_suite(suite, RunConfig(suite=name, sample=GATE_SAMPLE), settings)
        out[name] = gate_metrics(summarise(run.header(), run.results))
    return out


def _check(suite: str, metric: str, base: float | None, now: float | None) -> Check:
    if metric in INVARIANTS:
        ok = now is None or now == INVARIANTS[metric]
        return Check(suite, metric, base, now, ok, "" if ok else f"must be {INVARIANTS[metric]}")
    if base is None or now is None:
        ok = base is None
        return Check(suite, metric, base, now, ok, "" if ok else "metric no longer measured")
    drop = base - now
    ok = drop <= TOLERANCE[metric] + 1e-9
    note = (
        f"dropped {drop:.4f} > {TOLERANCE[metric]}"
        if not ok
        else ("improved: run 'crisiscell eval baseline'" if now > base + 1e-9 else "")
    )
    return Check(suite, metric, base, now, ok, note)


def check(current: dict[str, dict[str, Any]], baseline: dict[str, Any]) -> list[Check]:
    """Every gated metric of every measured suite against the baseline."""
    checks: list[Check] = []
    for suite, metrics in current.items():
        base = baseline.get("suites", {}).get(suite)
        if base is None:
            checks.append(Check(suite, "*", None, None, True, "not in the baseline (not gated)"))
            continue
        if base.get("cases") != metrics.get("cases"):
            note = f"case count {base.get('cases')} -> {metrics.get('cases')}"
            checks.append(
                Check(suite, "cases", base.get("cases"), metrics.get("cases"), True, note)
            )
        for metric in (*HIGHER_IS_BETTER, *INVARIANTS):
            checks.append(_check(suite, metric, base.get(metric), metrics.get(metric)))
    return checks


def read_baseline(path: Path = BASELINE) -> dict[str, Any]:
    """The committed baseline (empty when there is none yet)."""
    if not path.is_file():
        return {"suites": {}}
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def write_baseline(
    current: dict[str, dict[str, Any]], path: Path = BASELINE, keep: dict[str, Any] | None = None
) -> None:
    """Write the baseline; suites not measured now (data absent) keep their old entry."""
    suites = dict((keep or {}).get("suites", {}))
    suites.update(current)
    data: dict[str, Any] = {
        "about": "Offline gate baseline: crisiscell eval baseline rewrites it; "
        "crisiscell eval gate compares against it.",
        "sample": GATE_SAMPLE,
        "tolerance": TOLERANCE,
        "suites": dict(sorted(suites.items())),
    }
    for key in ("redteam", "redteam_guarded"):
        if keep and key in keep:
            data[key] = keep[key]
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", "utf-8")
