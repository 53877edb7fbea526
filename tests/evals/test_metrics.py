"""Every metric on hand-built cases with known answers."""

from __future__ import annotations

import pytest

from agent.pack.models import ActionType as A
from evals.case import ForbiddenAction
from evals.evaluators import (
    ActionCoverage,
    CategoryFamily,
    CategorySubtype,
    Degraded,
    Errored,
    ForbiddenSuggested,
    GradedScore,
    PrecedentHit,
    PrecedentMRR,
    PrecedentRecall,
    SeverityMatch,
    SopCompliance,
)
from evals.matching import MATCH_THRESHOLD, similarity
from evals.results import score_case
from evals.stats import bootstrap_mean, percentile, wilson
from evals.summary import summarise
from tests.evals.conftest import ctx_of, make_case, make_suggestion, step, taken


@pytest.mark.parametrize(
    ("expected", "also", "got", "family", "subtype"),
    [
        ("IND.fire", [], "IND.fire", True, True),
        ("IND.fire", [], "IND.explosion", True, False),
        ("IND.fire", [], "NAT.wildfire", False, False),
        ("CYB.it_ot_outage", ["INF.power_outage"], "INF.power_outage", True, True),
    ],
)
def test_category(expected: str, also: list[str], got: str, family: bool, subtype: bool) -> None:
    ctx = ctx_of(make_case(category=expected, also_accept=also), make_suggestion(got))
    assert CategoryFamily().evaluate(ctx) is family
    assert CategorySubtype().evaluate(ctx) is subtype


def test_category_t0_and_final_differ_after_an_update() -> None:
    ctx = ctx_of(make_case(category="IND.fire"), make_suggestion("NAT.flood"), make_suggestion())
    assert CategorySubtype("t0").evaluate(ctx) is False
    assert CategorySubtype("final").evaluate(ctx) is True


def test_hindsight_step_is_read_by_severity_only() -> None:
    """After a hindsight update (an archive outcome) only the severity reads the last step."""
    case = make_case(
        category="IND.fire",
        severity="S5",
        precedents=["P"],
        actions=[taken("Evacuated the building", A.evacuate)],
    )
    live = make_suggestion("IND.fire", level="S2", precedents=("P",))
    late = make_suggestion(
        "NAT.flood", level="S5", steps=(step("Evacuate the building", A.evacuate),)
    )
    ctx = ctx_of(case, live, late, hindsight=1)
    assert ctx.at("t0") is live and ctx.at("known") is live and ctx.at("final") is late
    assert SeverityMatch(0).evaluate(ctx) is True
    assert SeverityMatch(1).evaluate(ctx) is True
    assert SeverityMatch(1, "t0").evaluate(ctx) is False
    assert CategorySubtype().evaluate(ctx) is True and CategoryFamily().evaluate(ctx) is True
    assert PrecedentHit().evaluate(ctx) is True and PrecedentMRR().evaluate(ctx) == 1.0
    assert ActionCoverage().evaluate(ctx) == 0.0  # the late step's evacuation does not count


def test_invariants_read_hindsight_steps_too() -> None:
    case = make_case(forbidden=[ForbiddenAction(text="Pay the ransom to the attackers")])
    late = make_suggestion(steps=(step("Pay the ransom", A.mitigate),), compliant=(False,))
    ctx = ctx_of(case, make_suggestion(), late, hindsight=1)
    assert ForbiddenSuggested().evaluate(ctx) is True
    assert SopCompliance().evaluate(ctx) is False
    degraded_late = ctx_of(case, make_suggestion(), make_suggestion(degraded=True), hindsight=1)
    assert Degraded().evaluate(degraded_late) is True


def test_without_hindsight_known_is_final() -> None:
    first, last = make_suggestion(level="S1"), make_suggestion(level="S3")
    ctx = ctx_of(make_case(severity="S3"), first, last)
    assert ctx.at("known") is last and ctx.at("final") is last
    assert SeverityMatch(1, "t0").name == "severity_within_one_t0"
    assert SeverityMatch(0).evaluate(ctx) is True and SeverityMatch(1, "t0").evaluate(ctx) is False


def test_category_not_applicable_without_expectation() -> None:
    ctx = ctx_of(make_case(), make_suggestion())
    assert CategorySubtype().evaluate(ctx) is None
    assert CategoryFamily().evaluate(ctx) is None


@pytest.mark.parametrize(
    ("expected", "got", "exact", "within"),
    [("S3", "S3", True, True), ("S3", "S4", False, True), ("S5", "S2", False, False)],
)
def test_severity(expected: str, got: str, exact: bool, within: bool) -> None:
    ctx = ctx_of(make_case(severity=expected), make_suggestion(level=got))
    assert SeverityMatch(0).evaluate(ctx) is exact
    assert SeverityMatch(1).evaluate(ctx) is within


def test_precedent_recall_mrr_hit() -> None:
    case = make_case(precedents=["a", "b", "c"])
    ctx = ctx_of(case, make_suggestion(precedents=("x", "a", "y", "b", "z", "c")))
    assert PrecedentRecall(5).evaluate(ctx) == pytest.approx(2 / 3, abs=1e-4)
    assert PrecedentMRR().evaluate(ctx) == 0.5
    assert PrecedentHit(5).evaluate(ctx) is True
    assert PrecedentRecall(1).evaluate(ctx) == 0.0


def test_precedent_recall_is_capped_by_k() -> None:
    case = make_case(precedents=[f"p{i}" for i in range(10)])
    ctx = ctx_of(case, make_suggestion(precedents=tuple(f"p{i}" for i in range(5))))
    assert PrecedentRecall(5).evaluate(ctx) == 1.0


def test_precedent_miss_and_not_applicable() -> None:
    miss = ctx_of(make_case(precedents=["a"]), make_suggestion(precedents=("x",)))
    assert PrecedentMRR().evaluate(miss) == 0.0
    assert PrecedentHit().evaluate(miss) is False
    assert PrecedentRecall().evaluate(ctx_of(make_case(), make_suggestion())) is None


def test_action_coverage_needs_type_and_text() -> None:
    case = make_case(
        actions=[
            taken("Rolled back the faulty deployment", A.recover),
            taken("Evacuated the building", A.evacuate),
            taken("Rolled back the faulty deployment", A.notify),  # right text, wrong type
        ]
    )
    steps = (
        step("Roll back the last deployment or configuration change", A.recover),
        step("Evacuate the building by the stairs", A.evacuate),
    )
    ctx = ctx_of(case, make_suggestion(steps=steps))
    assert ActionCoverage().evaluate(ctx) == pytest.approx(2 / 3, abs=1e-4)
    assert [m.matched for m in ctx.matches] == [True, True, False]
    assert ctx.matches[2].suggested is None


def test_untyped_action_matches_on_text_alone() -> None:
    case = make_case(actions=[taken("Evacuated the building", None)])
    ctx = ctx_of(case, make_suggestion(steps=(step("Evacuate the building", A.evacuate),)))
    assert ActionCoverage().evaluate(ctx) == 1.0


def test_action_coverage_not_applicable_without_actions() -> None:
    assert ActionCoverage().evaluate(ctx_of(make_case(), make_suggestion())) is None


def test_similarity_threshold_separates_related_from_unrelated() -> None:
    assert similarity("Restart service", "Restart the affected services and nodes") == 100.0
    assert similarity("Pay the ransom", "Call the fire brigade") < MATCH_THRESHOLD
    assert similarity("", "anything") == 0.0


def test_sop_compliance() -> None:
    assert SopCompliance().evaluate(ctx_of(make_case(), make_suggestion())) is True
    bad = make_suggestion(compliant=(True, False))
    assert SopCompliance().evaluate(ctx_of(make_case(), make_suggestion(), bad)) is False


def test_forbidden_action_detected() -> None:
    case = make_case(forbidden=[ForbiddenAction(text="Pay the ransom to the attackers")])
    clean = ctx_of(case, make_suggestion())
    dirty = ctx_of(case, make_suggestion(steps=(step("Pay the ransom", A.mitigate),)))
    assert ForbiddenSuggested().evaluate(clean) is False
    assert ForbiddenSuggested().evaluate(dirty) is True


def test_degraded_and_errored() -> None:
    ctx = ctx_of(make_case(), make_suggestion(degraded=True), None)
    assert Degraded().evaluate(ctx) is True
    assert Errored().evaluate(ctx) is True
    assert CategorySubtype().evaluate(ctx_of(make_case(category="IND.fire"), None)) is False


@pytest.mark.parametrize(
    ("values", "grade"),
    [
        ({"category_family_accuracy": True, "category_subtype_accuracy": True}, 100.0),
        ({"category_family_accuracy": False}, 0.0),
        ({"category_family_accuracy": True, "forbidden_action_rate": True}, 0.0),
        ({"sop_compliance_rate": False}, 0.0),
        ({"error_rate": True}, 0.0),
        (
            {"category_subtype_accuracy": True, "precedent_hit_at_5": False},
            65.0,
        ),
        (
            {
                "category_subtype_accuracy": False,
                "precedent_hit_at_5": False,
                "action_coverage": 0.6,
            },
            35.0,
        ),
        ({"category_subtype_accuracy": False, "action_coverage": 0.2}, 35.0),
        ({}, 100.0),
    ],
)
def test_graded_score(values: dict[str, object], grade: float) -> None:
    assert GradedScore().grade(values) == grade  # type: ignore[arg-type]


def test_wilson_known_values() -> None:
    est = wilson(8, 10)
    assert est.value == 0.8
    assert est.low == pytest.approx(0.4902, abs=1e-3)
    assert est.high == pytest.approx(0.9433, abs=1e-3)
    assert wilson(0, 0).value is None
    assert wilson(10, 10).high == 1.0


def test_bootstrap_and_percentiles() -> None:
    same = bootstrap_mean([0.5, 0.5, 0.5])
    assert (same.value, same.low, same.high) == (0.5, 0.5, 0.5)
    spread = bootstrap_mean([0.0, 1.0] * 20)
    assert spread.low is not None and spread.high is not None
    assert spread.low < 0.5 < spread.high
    assert bootstrap_mean([0.0, 1.0] * 20) == spread  # fixed seed
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([], 50) is None


def test_summary_aggregates_cases_with_intervals() -> None:
    good = score_case(ctx_of(make_case(category="IND.fire"), make_suggestion()))
    bad = score_case(ctx_of(make_case(category="IND.fire"), make_suggestion("NAT.flood")))
    bad = bad.model_copy(update={"name": "CASE-2"})
    summary = summarise({"run_id": "r"}, [good, bad])
    assert summary["cases"] == 2
    assert summary["category_subtype_accuracy"] == 0.5
    assert summary["intervals"]["category_subtype_accuracy"]["method"] == "wilson"
    assert summary["score"] == 50.0
    assert summary["latency_p50_ms"] == 5.0
    assert summary["score_distribution"] == {"100": 1, "65": 0, "35": 0, "0": 1}


def test_repeats_report_variance() -> None:
    a = score_case(ctx_of(make_case(category="IND.fire"), make_suggestion()), repeat=0)
    b = score_case(ctx_of(make_case(category="IND.fire"), make_suggestion("NAT.flood")), repeat=1)
    summary = summarise({"run_id": "r"}, [a, b])
    assert summary["repeats"] == 2
    assert summary["category_subtype_accuracy"] == 0.5
    assert summary["intervals"]["category_subtype_accuracy"]["method"] == "bootstrap"
    assert summary["variance"]["category_subtype_accuracy"] == pytest.approx(0.7071, abs=1e-3)
