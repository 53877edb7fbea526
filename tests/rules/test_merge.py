"""Duplicate steps across SOPs are merged, every citation kept, and still count as followed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import yaml

from agent.domain import Citation, Scenario, ScenarioStep
from agent.pack.models import Sop
from agent.rules.compliance import check_scenario
from agent.rules.contacts import contacts
from agent.rules.merge import merge_duplicates, merge_steps, same_wording
from agent.rules.planner import build_scenarios

HEADER = """\
version: 1.0.0
status: approved
owner: hse
valid_from: 2025-01-01
applies_to: {categories: ["*"]}
roles:
  IC: {ics: incident_commander}
  liaison: {ics: liaison_officer}
"""

LEAK = HEADER + """\
id: SOP-IND-TST-001
title: Toxic leak
steps:
  - {id: S01, phase: alert, action: "Call 18/112: product, UN number, leak location",
     action_type: notify, owner: IC, deadline: PT5M, mandatory: true}
  - {id: S02, phase: protect, action: "Isolate at least 100 m all round the leak, deny entry",
     action_type: isolate, owner: IC, deadline: PT10M, mandatory: true}
  - {id: S03, phase: report, action: "Send a situation report to the crisis cell every 30 min",
     action_type: communicate, owner: IC, deadline: PT30M}
  - {id: S04, phase: care, action: "Rinse exposed eyes and skin with water for 20 min",
     action_type: rescue, owner: IC, deadline: PT15M, mandatory: true}
notifications:
  - {to: fire_rescue, within: PT5M, mandatory: true, basis: 18/112 emergency call}
  - {to: mayor, within: PT30M, mandatory: true, basis: Code de l'environnement}
"""

ROAD = HEADER + """\
id: SOP-TRN-TST-002
title: Hazmat on the road
steps:
  - {id: S01, phase: alert, action: "Call 112 from upwind: location, vehicle, placard numbers",
     action_type: notify, owner: liaison, deadline: PT10M, mandatory: true}
  - {id: S02, phase: protect, action: "Isolate at least 100 m all round, stay upwind, deny entry",
     action_type: isolate, owner: IC, deadline: PT15M, mandatory: true}
  - {id: S03, phase: report, action: "Send situation reports to the crisis cell every 30 minutes",
     action_type: communicate, owner: IC, deadline: PT45M, depends_on: [S02]}
  - {id: S04, phase: care, action: "Give first aid to the injured and keep them warm",
     action_type: rescue, owner: IC, deadline: PT15M, mandatory: true}
  - {id: S05, phase: alert, action: "Call 15 (SAMU) when someone is hurt",
     action_type: notify, owner: liaison, deadline: PT10M, mandatory: true}
notifications:
  - {to: prefecture_cod, within: PT30M, mandatory: true, basis: Code de l'environnement}
"""

FACTS: dict[str, Any] = {}


def sop(text: str) -> Sop:
    return Sop.model_validate(yaml.safe_load(text))


@pytest.fixture(scope="module")
def sops() -> list[Sop]:
    return [sop(LEAK), sop(ROAD)]


@pytest.fixture(scope="module")
def book(sops: list[Sop]) -> Scenario:
    return build_scenarios(sops, FACTS)[0]


def cites(step: ScenarioStep) -> set[tuple[str, str | None]]:
    return {(step.sop_id or "", step.step_id), *((c.sop_id, c.step_id) for c in step.also_cites)}


def carrier(scenario: Scenario, sop_id: str, step_id: str) -> ScenarioStep:
    return next(s for s in scenario.steps if (sop_id, step_id) in cites(s))


def test_duplicate_calls_become_one_step_citing_all(book: Scenario, sops: list[Sop]) -> None:
    merged = merge_duplicates(book, sops)
    call = carrier(merged, "SOP-IND-TST-001", "S01")
    assert cites(call) == {
        ("SOP-IND-TST-001", "S01"),
        ("SOP-IND-TST-001", "notify.fire_rescue"),
        ("SOP-TRN-TST-002", "S01"),
    }
    assert call.action == "Call 18/112: product, UN number, leak location"  # its SOP's words
    assert call.deadline == timedelta(minutes=5)  # the earliest clock of the group
    assert len(merged.steps) < len(book.steps)


def test_every_citation_survives_the_merge(book: Scenario, sops: list[Sop]) -> None:
    before = set().union(*(cites(s) for s in book.steps))
    after = set().union(*(cites(s) for s in merge_duplicates(book, sops).steps))
    assert before == after


def test_merged_scenario_is_compliant_and_followed(book: Scenario, sops: list[Sop]) -> None:
    merged = merge_duplicates(book, sops)
    report = check_scenario(merged, sops, FACTS)
    assert report.compliant, report.violations
    items = {(i.sop_id, i.step_id): i for i in report.items}
    road_call = items[("SOP-TRN-TST-002", "S01")]
    assert road_call.status == "followed"
    assert "merged into SOP-IND-TST-001/S01" in road_call.reason
    assert items[("SOP-IND-TST-001", "notify.fire_rescue")].status == "followed"


def test_without_the_citation_the_merged_away_steps_are_missing(
    book: Scenario, sops: list[Sop]
) -> None:
    merged = merge_duplicates(book, sops)
    stripped = [s.model_copy(update={"also_cites": []}) for s in merged.steps]
    report = check_scenario(merged.model_copy(update={"steps": stripped}), sops, FACTS)
    missing = {(v.sop_id, v.step_id) for v in report.violations if v.kind.startswith("missing")}
    assert ("SOP-TRN-TST-002", "S01") in missing
    assert ("SOP-IND-TST-001", "notify.fire_rescue") in missing


@pytest.mark.parametrize(
    ("keep", "gone"),
    [
        (("SOP-IND-TST-001", "S04"), ("SOP-TRN-TST-002", "S04")),  # first aid differs in detail
        (("SOP-TRN-TST-002", "S05"), ("SOP-IND-TST-001", "S01")),  # SAMU is not fire and rescue
        (("SOP-IND-TST-001", "notify.mayor"), ("SOP-TRN-TST-002", "notify.prefecture_cod")),
    ],
)
def test_different_actions_stay_apart(
    book: Scenario, sops: list[Sop], keep: tuple[str, str], gone: tuple[str, str]
) -> None:
    merged = merge_duplicates(book, sops)
    assert carrier(merged, *keep) is not carrier(merged, *gone)


def test_a_step_is_not_moved_before_its_prerequisite(sops: list[Sop]) -> None:
    """ROAD/S03 depends on ROAD/S02, which comes after LEAK/S03: folding would invert them."""
    leak, road = sops
    steps = [
        step_of(leak, "S03"),
        step_of(road, "S02"),
        step_of(road, "S03"),
    ]
    merged = merge_steps(steps, sops)
    assert [cites(s) for s in merged] == [cites(s) for s in steps]
    in_order = merge_steps([steps[1], steps[0], steps[2]], sops)
    assert len(in_order) == 2
    assert ("SOP-TRN-TST-002", "S03") in cites(in_order[1])


def step_of(sop: Sop, step_id: str) -> ScenarioStep:
    step = sop.step(step_id)
    assert step is not None
    return ScenarioStep(
        sop_id=sop.id,
        step_id=step.id,
        action=step.action,
        action_type=step.action_type,
        owner=step.owner,
        deadline=step.deadline,
    )


def test_two_steps_of_one_sop_are_never_merged(sops: list[Sop]) -> None:
    sitrep = step_of(sops[0], "S03")
    twice = [sitrep, sitrep.model_copy(update={"step_id": "S05"})]
    assert len(merge_steps(twice, sops)) == 2


def test_model_notes_and_off_sop_steps_are_not_folded_away(book: Scenario, sops: list[Sop]) -> None:
    steps = [
        s.model_copy(update={"note": "the model's addition"}) if s.sop_id == sops[1].id else s
        for s in book.steps
    ]
    merged = merge_steps(steps, sops)
    assert all(not s.also_cites or s.sop_id != sops[1].id for s in merged)
    assert sum(1 for s in merged if s.note) == sum(1 for s in steps if s.note)


def test_merge_is_deterministic_and_idempotent(book: Scenario, sops: list[Sop]) -> None:
    once = merge_duplicates(book, sops)
    assert merge_duplicates(book, sops) == once
    assert merge_duplicates(once, sops).steps == once.steps


def test_an_invented_merged_citation_is_a_violation(book: Scenario, sops: list[Sop]) -> None:
    steps = list(book.steps)
    steps[0] = steps[0].model_copy(
        update={"also_cites": [Citation(sop_id="SOP-IND-TST-001", step_id="S99")]}
    )
    report = check_scenario(book.model_copy(update={"steps": steps}), sops, FACTS)
    assert any(v.kind == "unknown_reference" and v.step_id == "S99" for v in report.violations)


def test_a_merged_citation_keeps_its_clock(book: Scenario, sops: list[Sop]) -> None:
    """A step that cites a 5-minute call cannot take 20 minutes."""
    merged = merge_duplicates(book, sops)
    steps = [
        s.model_copy(update={"deadline": timedelta(minutes=20)}) if s.also_cites else s
        for s in merged.steps
    ]
    report = check_scenario(merged.model_copy(update={"steps": steps}), sops, FACTS)
    assert any(v.kind == "deadline" for v in report.violations)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 18/112: product and location", {"fire_rescue"}),
        ("Call 112 from upwind", {"fire_rescue"}),
        ("Call 15 or 112 (SAMU)", {"samu"}),
        ("Call 17/112 and describe the intruders", {"police"}),
        ("Appeler les pompiers", {"fire_rescue"}),
        ("Send a situation report every 30 min, then every 15 minutes", set()),
        ("Inform the labour inspectorate within 12 h", {"labour_inspectorate"}),
        ("Send the NIS2 early warning to ANSSI / CERT-FR", {"anssi_certfr"}),
    ],
)
def test_who_a_step_calls(text: str, expected: set[str]) -> None:
    assert contacts(text, ["labour_inspectorate", "anssi_certfr", "mayor"]) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Send a situation report to the crisis cell every 30 min",
         "Send situation reports to the crisis cell every 30 minutes", True),
        ("Isolate at least 100 m all round the leak, deny entry",
         "Isolate at least 100 m all round, stay upwind, deny entry", True),
        ("Rinse exposed eyes and skin with water for 20 min",
         "Give first aid to the injured and keep them warm", False),
        ("Send a report", "Send a report to the prefect, the mayor, the DREAL and the water police",
         False),
    ],
)
def test_same_wording(a: str, b: str, same: bool) -> None:
    assert same_wording(a, b) is same


def test_repair_does_not_add_back_what_a_merged_step_does(book: Scenario, sops: list[Sop]) -> None:
    """A model plan that merged the calls but skipped a mandatory step: repair adds only
    the missing step, never a second call for what the merged step already covers."""
    from agent.rules.repair import repair_scenario

    merged = merge_duplicates(book, sops)
    skipped = [s for s in merged.steps if (s.sop_id, s.step_id) != ("SOP-IND-TST-001", "S02")]
    plan = merged.model_copy(update={"steps": skipped, "origin": "llm"})
    fixed = repair_scenario(plan, sops, FACTS)
    assert fixed is not None and fixed.adherence is not None and fixed.adherence.compliant
    cited = [c for s in fixed.steps for c in cites(s)]
    assert len(cited) == len(set(cited)), "a citation appears twice"
    assert ("SOP-IND-TST-001", "S02") in cited
    added = [r for r in fixed.adherence.repairs if r.startswith("added")]
    isolation = ("SOP-IND-TST-001/S02", "SOP-TRN-TST-002/S02")  # the step removed held both
    assert added and all(any(ref in r for ref in isolation) for r in added), added


def test_repair_merges_what_it_adds(sops: list[Sop]) -> None:
    """A plan with one step, repaired from scratch, is as merged as the offline plan."""
    from agent.rules.repair import repair_scenario

    report = ScenarioStep(
        sop_id="SOP-IND-TST-001", step_id="S03", owner="IC", action_type="communicate",
        action="Send a situation report to the crisis cell every 30 min",
        deadline=timedelta(minutes=30),
    )
    empty = Scenario(id="A", title="t", rationale="r", steps=[report], origin="llm")
    fixed = repair_scenario(empty, sops, FACTS)
    assert fixed is not None
    calls = [s for s in fixed.steps if ("SOP-TRN-TST-002", "S01") in cites(s)]
    assert len(calls) == 1 and ("SOP-IND-TST-001", "S01") in cites(calls[0])
