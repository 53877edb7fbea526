"""Precedents are lessons, not steps: judging past actions, and what the planner lets in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.domain import ActionTaken, Precedent
from agent.pack.models import Sop
from agent.rules.lessons import condemned, is_narrative, is_vetted, judge, sop_verbs
from agent.rules.planner import build_scenarios, precedent_lessons

FACTS = {"substance": "ammonia"}


def _precedent(
    *actions: ActionTaken, outcome: str = "Nobody hurt.", lessons: list[str] | None = None
) -> Precedent:
    return Precedent(
        id="INC-TEST-1",
        title="A test incident",
        score=0.8,
        category="IND.toxic_release",
        occurred_at=datetime(2020, 1, 1, tzinfo=UTC),
        resolution="Resolved.",
        outcome=outcome,
        actions=list(actions),
        lessons=lessons or [],
    )


@pytest.mark.parametrize(
    ("text", "narrative"),
    [
        ("Neighbours ran away from the depot by car", False),  # no past marker: judged by vetting
        ("Evacuated the east wing through the car park", True),
        ("Fire crews were sent to the loading bay", True),
        ("Close the remote shut-off valves", False),
        ("Isolate the tank farm and deny entry", False),
    ],
)
def test_narrative_sentences_are_told_apart_from_instructions(text: str, narrative: bool) -> None:
    assert is_narrative(text) is narrative


def test_only_an_imperative_with_a_verb_the_sops_use_is_vetted() -> None:
    verbs = sop_verbs([("Close emergency valves", "contain"), ("Isolate 100 m", "isolate")])
    assert is_vetted(ActionTaken(text="Close the drain gates", action_type="contain"), verbs)
    assert not is_vetted(ActionTaken(text="Closed the drain gates", action_type="contain"), verbs)
    assert not is_vetted(ActionTaken(text="Close the drain gates", action_type="isolate"), verbs)
    assert not is_vetted(ActionTaken(text="Close the drain gates"), verbs)


@pytest.mark.parametrize(
    ("action", "outcome", "lessons", "why"),
    [
        (
            ActionTaken(
                text="Crews tried to knock the vapour down with hoses", action_type="mitigate"
            ),
            "No one hurt.",
            [],
            "failure",
        ),
        (
            ActionTaken(
                text="Brigade began attacking the silo fire at close range", action_type="mitigate"
            ),
            "Two injured.",
            ["Never fight a silo fire at close range; pull back and cool from afar."],
            "lesson forbids",
        ),
        (
            ActionTaken(
                text="Fire crews cooled the burning drums with water", action_type="mitigate"
            ),
            "Nine people killed, most of them firefighters.",
            [],
            "responders died",
        ),
    ],
)
def test_actions_the_incident_condemns(
    action: ActionTaken, outcome: str, lessons: list[str], why: str
) -> None:
    reason = condemned(action, _precedent(action, outcome=outcome, lessons=lessons))
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "action",
    [
        ActionTaken(text="Residents were evacuated to the sports hall", action_type="evacuate"),
        ActionTaken(
            text="State investigators opened an inquiry into the fire", action_type="assess"
        ),
    ],
)
def test_actions_that_are_not_condemned(action: ActionTaken) -> None:
    precedent = _precedent(
        action,
        outcome="Nine people killed, most of them firefighters.",
        lessons=["Firefighters should not fight such a fire at close range; evacuate early."],
    )
    assert condemned(action, precedent) is None


def test_a_condemned_action_is_condemned_even_if_it_maps_to_a_step() -> None:
    action = ActionTaken(text="Crews tried to stop the leak", action_type="contain")
    verdict = judge(action, _precedent(action), {}, step="SOP-X/S01")
    assert verdict.verdict == "condemned" and verdict.step is None


def test_narrative_past_actions_stay_lessons_and_never_become_steps(tox_sop: Sop) -> None:
    precedent = _precedent(
        ActionTaken(text="Residents fled the suburb on foot", action_type="evacuate"),
        ActionTaken(text="Townspeople gathered on the bridge to watch", action_type="assess"),
    )
    scenarios = build_scenarios([tox_sop], FACTS, [precedent])
    assert all(s.source != "precedent" for sc in scenarios for s in sc.steps)
    [item] = precedent_lessons([tox_sop], FACTS, [precedent])
    assert [p.verdict for p in item.done] == ["narrative", "narrative"]
    assert item.outcome == "Nobody hurt."


def test_a_mapped_action_cites_its_sop_step_with_the_precedent_as_reason(tox_sop: Sop) -> None:
    precedent = _precedent(
        ActionTaken(
            text="Operators closed the emergency shut-off valves remotely", action_type="contain"
        )
    )
    [item] = precedent_lessons([tox_sop], FACTS, [precedent])
    assert item.done[0].verdict == "mapped" and item.done[0].step == "SOP-IND-TOX-001/S04"
    informed = next(sc for sc in build_scenarios([tox_sop], FACTS, [precedent]) if sc.id == "B")
    step = next(s for s in informed.steps if s.step_id == "S04")
    assert step.sop_id == "SOP-IND-TOX-001" and not step.off_sop
    assert step.justification is not None and "INC-TEST-1" in step.justification


def test_a_vetted_instruction_enters_off_sop_with_its_source(tox_sop: Sop) -> None:
    action = ActionTaken(text="Isolate the rail siding behind the depot", action_type="isolate")
    precedent = _precedent(action)
    [item] = precedent_lessons([tox_sop], FACTS, [precedent])
    assert item.done[0].verdict == "vetted"
    informed = next(sc for sc in build_scenarios([tox_sop], FACTS, [precedent]) if sc.id == "B")
    [copied] = [s for s in informed.steps if s.source == "precedent"]
    assert copied.off_sop and copied.action == action.text
    assert "INC-TEST-1" in (copied.justification or "")
