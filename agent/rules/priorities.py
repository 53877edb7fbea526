"""Priorities first: what must be done now, in 10 minutes and in 30, before the full plan.

A cell in its first minutes reads one short list, not forty steps. The list is drawn from the
scenario's own steps (so it is checked like them): unconditional steps clocked from T0,
boxed by deadline, with their owner; notifications keep their legal clock. When nothing is
due within 30 minutes, the first step due is what to do now.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from agent.domain import Priority, Scenario, ScenarioStep

Window = Literal["now", "10 min", "30 min"]
WINDOWS: tuple[tuple[Window, timedelta], ...] = (
    ("now", timedelta(minutes=5)),
    ("10 min", timedelta(minutes=10)),
    ("30 min", timedelta(minutes=30)),
)


def window_of(step: ScenarioStep) -> Window | None:
    """The time box of a step, or ``None`` when it waits (conditional, unclocked, later)."""
    if step.conditional or step.anchor != "T0" or step.deadline is None:
        return None
    return next((name for name, limit in WINDOWS if step.deadline <= limit), None)


def priorities(scenario: Scenario) -> list[Priority]:
    """The scenario's first-30-minute steps, by window then deadline, each once."""
    out: list[Priority] = []
    for step in scenario.steps:
        window = window_of(step)
        if window is not None:
            out.append(_priority(step, window))
    if not out:
        return _first_due(scenario)
    order = {name: i for i, (name, _) in enumerate(WINDOWS)}
    return sorted(out, key=lambda p: (order[p.window], p.deadline or timedelta()))


def _first_due(scenario: Scenario) -> list[Priority]:
    """Slow hazards (a flood hours away) still open with something: the first step due."""
    clocked = [s for s in scenario.steps if not s.conditional and s.anchor == "T0" and s.deadline]
    if not clocked:
        return []
    first = min(s.deadline or timedelta() for s in clocked)
    return [_priority(s, "now") for s in clocked if s.deadline == first]


def _priority(step: ScenarioStep, window: Window) -> Priority:
    return Priority(
        window=window,
        action=step.action,
        action_fr=step.action_fr,
        owner=step.owner,
        deadline=step.deadline,
        sop_id=step.sop_id,
        step_id=step.step_id,
        notification=step.source == "notification",
        mandatory=step.mandatory,
        also_cites=step.also_cites,
    )


def with_priorities(scenario: Scenario) -> Scenario:
    """The scenario, opening with its priorities."""
    return scenario.model_copy(update={"priorities": priorities(scenario)})


__all__ = ["priorities", "window_of", "with_priorities"]
