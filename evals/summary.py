"""Aggregate per-case results into a run summary with intervals and repeat variance.

Each case first gets its mean over repeats; the aggregate is then taken over
cases. A metric whose per-case values are all booleans (one repeat) gets a Wilson
interval, anything else a bootstrap interval. With ``--repeat N > 1`` the
``variance`` block gives the standard deviation of each metric across repeats.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from evals.evaluators import HEADLINE
from evals.results import CaseResult
from evals.stats import Estimate, bootstrap_mean, percentile, stdev, wilson


def case_values(results: Sequence[CaseResult], metric: str) -> dict[str, list[float]]:
    """Case name -> the metric's values over repeats (None values left out)."""
    out: dict[str, list[float]] = defaultdict(list)
    for r in results:
        value = r.score if metric == "score" else r.metrics.get(metric)
        if value is not None:
            out[r.name].append(float(value))
    return dict(out)


def estimate(results: Sequence[CaseResult], metric: str) -> Estimate:
    """The aggregate of one metric over cases (Wilson for single-repeat booleans)."""
    per_case = case_values(results, metric)
    raw = [r.metrics.get(metric) for r in results]
    booleans = metric != "score" and all(isinstance(v, bool) for v in raw if v is not None)
    single = all(len(v) == 1 for v in per_case.values())
    if booleans and single:
        return wilson(int(sum(v[0] for v in per_case.values())), len(per_case))
    return bootstrap_mean([sum(v) / len(v) for v in per_case.values()])


def _by_repeat(results: Sequence[CaseResult]) -> dict[int, list[CaseResult]]:
    out: dict[int, list[CaseResult]] = defaultdict(list)
    for r in results:
        out[r.repeat].append(r)
    return dict(out)


def variance(results: Sequence[CaseResult]) -> dict[str, float | None]:
    """Standard deviation of each headline metric across repeats (empty for one repeat)."""
    repeats = _by_repeat(results)
    if len(repeats) < 2:
        return {}
    out: dict[str, float | None] = {}
    for metric in HEADLINE:
        values = [estimate(rs, metric).value for rs in repeats.values()]
        out[metric] = stdev([v for v in values if v is not None])
    return out


def _usage(results: Sequence[CaseResult]) -> dict[str, float | None]:
    tokens = [s.tokens for r in results for s in r.steps if s.tokens is not None]
    costs = [s.cost_usd for r in results for s in r.steps if s.cost_usd is not None]
    return {
        "tokens_total": sum(tokens) if tokens else None,
        "cost_usd_total": round(sum(costs), 6) if costs else None,
    }


def summarise(header: dict[str, Any], results: Sequence[CaseResult]) -> dict[str, Any]:
    """The run summary: header, headline values, intervals, variance, latency, usage."""
    estimates = {m: estimate(results, m) for m in HEADLINE}
    latencies = [s.latency_ms for r in results for s in r.steps]
    first = [r for r in results if r.repeat == 0]
    grades = Counter(str(int(r.score)) for r in first)
    return {
        **header,
        "cases": len(first),
        "repeats": len(_by_repeat(results)),
        "suggestions": len(latencies),
        **{m: e.value for m, e in estimates.items()},
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        **_usage(results),
        "score_distribution": {g: grades.get(g, 0) for g in ("100", "65", "35", "0")},
        "intervals": {m: e.as_dict() for m, e in estimates.items()},
        "variance": variance(results),
    }
