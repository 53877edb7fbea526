from datetime import timedelta
from typing import Any

import pytest

from agent.domain import Scenario, ScenarioStep
from agent.guard.matcher import Guard
from agent.pack.models import Sop
from agent.rules.compliance import check_scenario
from agent.rules.planner import build_scenarios
from agent.rules.repair import repair_scenario

FACTS: dict[str, Any] = {
    "effects.offsite": False,
    "casualties.exposed": 0,
    "leak.remotely_isolable": True,
}


def by_the_book(sop: Sop, facts: dict[str, Any] = FACTS) -> Scenario:
    return build_scenarios([sop], facts)[0]


def replace_step(scenario: Scenario, index: int, **update: Any) -> Scenario:
    steps = list(scenario.steps)
    steps[index] = steps[index].model_copy(update=update)
    return scenario.model_copy(update={"steps": steps})


def test_sop_derived_scenarios_are_compliant(tox_sop: Sop) -> None:
    for facts in (FACTS, {}, {"effects.offsite": True, "casualties.exposed": 3}):
        for scenario in build_scenarios([tox_sop], facts):
            report = check_scenario(scenario, [tox_sop], facts)
            assert report.compliant, report.violations


def test_by_the_book_cites_every_applicable_step(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    cited = {s.step_id for s in scenario.steps}
    assert {
        "S01",
        "S02",
        "S03",
        "S04",
        "S05",
        "notify.fire_rescue",
        "notify.dreal_inspection",
    } <= cited
    assert "S09" not in cited  # casualties.exposed == 0: not applicable
    assert "notify.prefecture_cod" not in cited
    report = check_scenario(scenario, [tox_sop], FACTS)
    assert report.count("not_applicable") >= 2


def test_parameters_are_rendered(tox_sop: Sop) -> None:
    s03 = next(s for s in by_the_book(tox_sop).steps if s.step_id == "S03")
    assert "100 m" in s03.action


def kinds(scenario: Scenario, sop: Sop) -> set[str]:
    return {v.kind for v in check_scenario(scenario, [sop], FACTS).violations}


def test_missing_mandatory_step(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    pruned = scenario.model_copy(
        update={"steps": [s for s in scenario.steps if s.step_id != "S03"]}
    )
    assert "missing_mandatory" in kinds(pruned, tox_sop)


def test_missing_notification(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    pruned = scenario.model_copy(
        update={"steps": [s for s in scenario.steps if s.step_id != "notify.dreal_inspection"]}
    )
    assert "missing_notification" in kinds(pruned, tox_sop)


def test_order_violation(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    steps = list(scenario.steps)
    s01 = next(i for i, s in enumerate(steps) if s.step_id == "S01")
    steps.append(steps.pop(s01))
    assert "order" in kinds(scenario.model_copy(update={"steps": steps}), tox_sop)


@pytest.mark.parametrize(
    ("update", "kind"),
    [
        ({"deadline": timedelta(minutes=30)}, "deadline"),
        ({"deadline": None}, "deadline"),
        ({"action_type": "evacuate"}, "action_type"),
        ({"step_id": "S99"}, "unknown_reference"),
        ({"sop_id": "SOP-XXX-YYY-999"}, "unknown_reference"),
        ({"owner": "mayor"}, "unknown_owner"),
    ],
)
def test_step_level_violations(tox_sop: Sop, update: dict[str, Any], kind: str) -> None:
    scenario = by_the_book(tox_sop)
    index = next(i for i, s in enumerate(scenario.steps) if s.step_id == "S01")
    assert kind in kinds(replace_step(scenario, index, **update), tox_sop)


def off_sop(
    action: str, action_type: str, justification: str | None = "seen before"
) -> ScenarioStep:
    return ScenarioStep(
        action=action,
        action_type=action_type,
        off_sop=True,
        justification=justification,
        source="llm",
    )


def test_forbidden_action_same_type_is_a_violation(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    bad = scenario.model_copy(
        update={
            "steps": [
                *scenario.steps,
                off_sop("Direct the water jet at the leak source", "mitigate"),
            ]
        }
    )
    assert "forbidden" in kinds(bad, tox_sop)


def test_forbidden_text_of_another_type_is_a_violation_too(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    odd = scenario.model_copy(
        update={"steps": [*scenario.steps, off_sop("Direct water at the leak source", "assess")]}
    )
    assert "forbidden" in kinds(odd, tox_sop)


def test_forbidden_text_in_the_title_is_a_violation(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop).model_copy(update={"title": "Direct water at the leak source"})
    assert "forbidden" in kinds(scenario, tox_sop)


def test_negated_forbidden_text_is_not_a_violation(tox_sop: Sop) -> None:
    guard = Guard([tox_sop], {})
    assert guard.check("Do not direct water at the leak source", {tox_sop.id}) is None


def test_verbatim_sop_step_is_never_forbidden(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    assert check_scenario(scenario, [tox_sop], FACTS).compliant


def test_unjustified_off_sop_step(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    bad = scenario.model_copy(
        update={"steps": [*scenario.steps, off_sop("Call the press", "communicate", None)]}
    )
    assert "off_sop_unjustified" in kinds(bad, tox_sop)


def test_deviated_wording_is_reported(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    index = next(i for i, s in enumerate(scenario.steps) if s.step_id == "S05")
    changed = replace_step(scenario, index, action="Count people everywhere quickly")
    report = check_scenario(changed, [tox_sop], FACTS)
    item = next(i for i in report.items if i.step_id == "S05")
    assert item.status == "deviated" and report.compliant


def test_repair_makes_an_offending_scenario_compliant(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    steps = [s for s in scenario.steps if s.step_id != "S03"]
    steps.insert(0, off_sop("Direct the water jet at the leak source", "mitigate"))
    steps.append(
        ScenarioStep(sop_id=tox_sop.id, step_id="S77", action="Invented step", action_type="assess")
    )
    broken = replace_step(
        scenario.model_copy(update={"steps": steps}), 1, deadline=timedelta(hours=2)
    )
    fixed = repair_scenario(broken, [tox_sop], FACTS)
    assert fixed is not None and fixed.adherence is not None
    assert fixed.adherence.compliant
    assert [b.forbidden for b in fixed.blocked] == ["SOP-IND-TOX-001/F1"]
    assert any("S03" in r for r in fixed.adherence.repairs)
    assert all(s.step_id != "S77" for s in fixed.steps)


def test_repair_keeps_a_compliant_scenario_unchanged(tox_sop: Sop) -> None:
    scenario = by_the_book(tox_sop)
    fixed = repair_scenario(scenario, [tox_sop], FACTS)
    assert fixed is not None and fixed.steps == scenario.steps
    assert fixed.adherence is not None and not fixed.adherence.repairs


def test_notifications_are_merged_by_recipient(tox_sop: Sop) -> None:
    twin = tox_sop.model_copy(update={"id": "SOP-IND-TOX-002"})
    twin_note = twin.notifications[0].model_copy(update={"within": timedelta(minutes=3)})
    twin = twin.model_copy(update={"notifications": [twin_note]})
    scenario = build_scenarios([tox_sop, twin], FACTS)[0]
    calls = [s for s in scenario.steps if s.step_id == "notify.fire_rescue"]
    assert len(calls) == 1 and calls[0].deadline == timedelta(minutes=3)
    assert check_scenario(scenario, [tox_sop, twin], FACTS).compliant
    late = replace_step(scenario, scenario.steps.index(calls[0]), deadline=timedelta(minutes=5))
    assert "missing_notification" in {
        v.kind for v in check_scenario(late, [tox_sop, twin], FACTS).violations
    }
