"""Compare two runs: per-metric deltas with a paired-bootstrap interval, and flipped cases.

Cases are paired by name (each averaged over its repeats); the delta is
``B - A`` and its 95 % interval comes from bootstrapping the per-case
differences (fixed seed). A case *flips* when a pass/fail metric changes
between the runs, or when its graded score changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from evals.evaluators import HEADLINE
from evals.results import CaseResult
from evals.stats import bootstrap_mean
from evals.summary import case_values

FLIP_METRICS = (
    "category_family_accuracy",
    "category_subtype_accuracy",
    "precedent_hit_at_5",
    "sop_compliance_rate",
    "forbidden_action_rate",
    "degraded_rate",
    "error_rate",
)


@dataclass(frozen=True)
class Delta:
    """One metric's values in both runs and the paired difference B - A."""

    metric: str
    a: float | None
    b: float | None
    delta: float | None
    low: float | None
    high: float | None
    paired: int


@dataclass(frozen=True)
class Flip:
    """A case whose outcome changed between the runs."""

    case: str
    metric: str
    a: float
    b: float


def _means(results: Sequence[CaseResult], metric: str) -> dict[str, float]:
    return {k: sum(v) / len(v) for k, v in case_values(results, metric).items()}


def delta(
    metric: str,
    a: dict[str, Any],
    b: dict[str, Any],
    ra: Sequence[CaseResult],
    rb: Sequence[CaseResult],
) -> Delta:
    """The paired difference of one metric over the cases both runs scored."""
    ma, mb = _means(ra, metric), _means(rb, metric)
    common = sorted(set(ma) & set(mb))
    est = bootstrap_mean([mb[c] - ma[c] for c in common])
    return Delta(metric, a.get(metric), b.get(metric), est.value, est.low, est.high, len(common))


def flips(ra: Sequence[CaseResult], rb: Sequence[CaseResult]) -> list[Flip]:
    """Cases whose pass/fail metrics or graded score changed (A's value -> B's)."""
    out: list[Flip] = []
    for metric in (*FLIP_METRICS, "score"):
        ma, mb = _means(ra, metric), _means(rb, metric)
        out += [
            Flip(case, metric, ma[case], mb[case])
            for case in sorted(set(ma) & set(mb))
            if ma[case] != mb[case]
        ]
    return out


def compare(
    a: dict[str, Any], ra: Sequence[CaseResult], b: dict[str, Any], rb: Sequence[CaseResult]
) -> dict[str, Any]:
    """The comparison as JSON-ready data."""
    deltas = [delta(m, a, b, ra, rb) for m in HEADLINE]
    latency = {
        k: {"a": a.get(k), "b": b.get(k)}
        for k in ("latency_p50_ms", "latency_p95_ms", "tokens_total", "cost_usd_total")
    }
    names_a, names_b = {r.name for r in ra}, {r.name for r in rb}
    return {
        "run_a": a["run_id"],
        "run_b": b["run_id"],
        "model_a": a.get("model"),
        "model_b": b.get("model"),
        "deltas": [asdict(d) for d in deltas],
        "other": latency,
        "variance_a": a.get("variance") or {},
        "variance_b": b.get("variance") or {},
        "flips": [asdict(f) for f in flips(ra, rb)],
        "only_in_a": sorted(names_a - names_b),
        "only_in_b": sorted(names_b - names_a),
    }
