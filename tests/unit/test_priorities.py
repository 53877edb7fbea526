"""Priorities first: the first 30 minutes, time-boxed, drawn from the scenario's own steps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.domain import Scenario, ScenarioStep
from agent.pack.models import Sop
from agent.rules.planner import build_scenarios
from agent.rules.priorities import priorities, window_of, with_priorities


def _step(minutes: int | None, **kw: object) -> ScenarioStep:
    deadline = None if minutes is None else timedelta(minutes=minutes)
    return ScenarioStep.model_validate(
        {"action": "Do the thing", "action_type": "assess", "deadline": deadline, **kw}
    )


@pytest.mark.parametrize(
    ("step", "window"),
    [
        (_step(2), "now"),
        (_step(5), "now"),
        (_step(10), "10 min"),
        (_step(30), "30 min"),
        (_step(45), None),
        (_step(None), None),
        (_step(2, conditional=True), None),
        (_step(2, anchor="condition"), None),
    ],
)
def test_steps_fall_in_their_time_box(step: ScenarioStep, window: str | None) -> None:
    assert window_of(step) == window


def test_priorities_are_ordered_by_box_then_clock_and_keep_owner_and_citation() -> None:
    scenario = Scenario(
        id="A",
        title="t",
        rationale="r",
        steps=[
            _step(25, owner="hse", sop_id="SOP-X", step_id="S03"),
            _step(3, owner="COI", sop_id="SOP-X", step_id="S01"),
            _step(8, source="notification", action_type="notify", sop_id="SOP-X", step_id="n1"),
            _step(90, owner="DOI"),
        ],
    )
    got = priorities(scenario)
    assert [(p.window, p.step_id) for p in got] == [
        ("now", "S01"),
        ("10 min", "n1"),
        ("30 min", "S03"),
    ]
    assert got[0].owner == "COI" and got[1].notification


def test_every_shipped_scenario_opens_with_its_first_minutes(tox_sop: Sop) -> None:
    for scenario in build_scenarios([tox_sop], {"substance": "ammonia"}):
        lead = with_priorities(scenario)
        assert lead.priorities and lead.priorities[0].window == "now"
        assert {(p.sop_id, p.step_id) for p in lead.priorities} <= {
            (s.sop_id, s.step_id) for s in scenario.steps
        }


def test_a_slow_hazard_still_opens_with_the_first_step_due() -> None:
    scenario = Scenario(
        id="A",
        title="t",
        rationale="r",
        steps=[_step(120, step_id="S02"), _step(60, step_id="S01"), _step(5, conditional=True)],
    )
    assert [(p.window, p.step_id) for p in priorities(scenario)] == [("now", "S01")]
