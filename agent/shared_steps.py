"""Which steps a scenario shares with an earlier one, so the briefing says each step once.

The offline planner's scenarios overlap by design: "rapid response" is the mandatory
core of "by the book", "informed by precedent" is that core plus what past crises
did. Printed in full, three scenarios of 15 steps are 45 lines to read where 20 are
different. A later scenario is shown as the numbered steps of an earlier one it
shares, in the same order, plus its own steps in full; what differs on a shared step
(a precedent, a model's note) is still shown beside its number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.domain import Scenario, ScenarioStep
from agent.rules.priorities import window_of

StepKey = tuple[str | None, str | None, str, bool]


def step_key(step: ScenarioStep) -> StepKey:
    """Two steps are the same step when they cite the same thing with the same words."""
    return step.sop_id, step.step_id, step.action, step.off_sop


@dataclass(frozen=True)
class Shared:
    """How a scenario is drawn from an earlier one (``base``)."""

    base: str
    """The earlier scenario's id."""
    positions: tuple[int, ...]
    """1-based positions, in ``base``'s plan, of the steps this scenario shares, in order."""
    own: tuple[int, ...]
    """0-based indices of this scenario's steps that ``base`` does not have."""
    shared: tuple[int, ...]
    """0-based indices of this scenario's steps that ``base`` has (same order as positions)."""


def sharing(scenarios: Sequence[Scenario]) -> list[Shared | None]:
    """For each scenario, its best earlier base, or ``None`` when shown in full."""
    out: list[Shared | None] = []
    for i, scenario in enumerate(scenarios):
        candidates = [_shared(scenario, base) for base in scenarios[:i]]
        found = [c for c in candidates if c is not None]
        out.append(max(found, key=lambda c: len(c.positions)) if found else None)
    return out


def _shared(scenario: Scenario, base: Scenario) -> Shared | None:
    """The steps shared with ``base`` when they keep its order and its clocks."""
    where = {step_key(s): n for n, s in enumerate(base.steps, start=1)}
    shared = [i for i, s in enumerate(scenario.steps) if step_key(s) in where]
    positions = [where[step_key(scenario.steps[i])] for i in shared]
    pairs = sorted(zip(positions, shared, strict=True))
    if len(shared) < 2 or not _same_order(scenario, shared, positions):
        return None  # reordered or barely related: a reference would mislead
    if any(_marks(scenario.steps[i]) != _marks(base.steps[p - 1]) for p, i in pairs):
        return None
    own = tuple(i for i in range(len(scenario.steps)) if i not in set(shared))
    return Shared(base.id, tuple(p for p, _ in pairs), own, tuple(i for _, i in pairs))


def _same_order(scenario: Scenario, shared: list[int], positions: list[int]) -> bool:
    """Base order kept, except among steps due at the same moment (their order is free)."""
    steps = scenario.steps
    return all(
        p <= q or _clock(steps[i]) == _clock(steps[j])
        for (i, p), (j, q) in zip(
            zip(shared, positions, strict=True),
            zip(shared[1:], positions[1:], strict=True),
            strict=False,
        )
    )


def _clock(step: ScenarioStep) -> tuple[object, ...]:
    return step.anchor, step.deadline


def _marks(step: ScenarioStep) -> tuple[object, ...]:
    """What the reference would carry over: the clock and the mandatory/conditional marks."""
    return step.anchor, step.deadline, step.mandatory, step.conditional


def ranges(positions: Sequence[int]) -> str:
    """``1, 2, 3, 6, 8, 9`` as ``1-3, 6, 8-9``."""
    parts: list[str] = []
    start = prev = None
    for n in positions:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(_span(start, prev))
        start = prev = n
    if start is not None:
        parts.append(_span(start, prev))
    return ", ".join(parts)


def _span(start: int, end: int | None) -> str:
    return str(start) if end in (None, start) else f"{start}-{end}"


def opening(scenario: Scenario, shared: Shared) -> str:
    """The shared steps' time boxes by position: ``now 1-2; 10 min 3; 30 min 6, 12``."""
    boxes: dict[str, list[int]] = {}
    for i, n in zip(shared.shared, shared.positions, strict=True):
        window = window_of(scenario.steps[i])
        if window is not None:
            boxes.setdefault(window, []).append(n)
    return "; ".join(f"{w} {ranges(ns)}" for w, ns in boxes.items())


def steps_read(scenarios: Sequence[Scenario]) -> int:
    """How many step lines the briefing prints: shared steps are counted once."""
    total = 0
    for scenario, shared in zip(scenarios, sharing(scenarios), strict=True):
        total += len(scenario.steps) if shared is None else len(shared.own)
    return total


__all__ = ["Shared", "opening", "ranges", "sharing", "step_key", "steps_read"]
