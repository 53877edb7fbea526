"""One metric registry: the headline every summary, report and comparison uses derives from it."""

from __future__ import annotations

import dataclasses
import inspect
import json

import pytest

from evals import evaluators, gate, report
from evals.compare import compare
from evals.evaluators import DEFAULT_EVALUATORS, HEADLINE, SCORE, GradedScore, headline
from evals.results import score_case
from evals.summary import summarise
from tests.evals.conftest import ctx_of, make_case, make_suggestion

HEADER = {"run_id": "r", "suite": "hand", "model": "m", "config": {}}


def _evaluator_classes() -> list[type]:
    """Every concrete evaluator written in evals/evaluators.py."""
    return [
        cls
        for _name, cls in inspect.getmembers(evaluators, inspect.isclass)
        if cls.__module__ == evaluators.__name__
        and dataclasses.is_dataclass(cls)
        and callable(getattr(cls, "evaluate", None))
    ]


def test_headline_is_derived_from_the_evaluator_registry() -> None:
    names = tuple(e.name for e in DEFAULT_EVALUATORS)
    assert (*names, SCORE.name) == HEADLINE
    assert len(set(HEADLINE)) == len(HEADLINE)


def test_every_evaluator_written_is_registered() -> None:
    registered = {type(e) for e in DEFAULT_EVALUATORS} | {GradedScore}
    missing = [c.__name__ for c in _evaluator_classes() if c not in registered]
    assert missing == [], f"add {missing} to DEFAULT_EVALUATORS (evals/evaluators.py)"


def test_a_scored_case_a_summary_and_a_comparison_cover_the_headline() -> None:
    case = make_case(category="IND.fire", severity="S3", precedents=["P"])
    result = score_case(ctx_of(case, make_suggestion("IND.fire", precedents=("P",))))
    assert (*result.metrics, "score") == HEADLINE
    summary = summarise(HEADER, [result])
    assert set(HEADLINE) <= set(summary)
    assert tuple(summary["intervals"]) == HEADLINE
    deltas = compare(summary, [result], summary, [result])["deltas"]
    assert tuple(d["metric"] for d in deltas) == HEADLINE
    assert set(HEADLINE) - {"score"} == report.PERCENT


def test_gated_metrics_and_the_baseline_are_headline_metrics() -> None:
    assert set(gate.HIGHER_IS_BETTER) <= set(HEADLINE)
    assert set(gate.INVARIANTS) <= set(HEADLINE)
    recorded = json.loads(gate.BASELINE.read_text("utf-8"))["suites"]
    for suite, metrics in recorded.items():
        assert set(metrics) - {"cases"} <= set(HEADLINE), suite


def test_two_evaluators_may_not_share_a_metric_name() -> None:
    with pytest.raises(ValueError, match="share metric names: category_family_accuracy"):
        headline((*DEFAULT_EVALUATORS, evaluators.CategoryFamily()))
