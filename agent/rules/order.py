"""Order scenario steps: dependencies first, then earliest deadline from T0."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import timedelta

from agent.domain import ScenarioStep
from agent.pack.models import Sop
from agent.rules.requirements import effective_deadline

NO_DEADLINE = timedelta(days=365)


def step_clock(step: ScenarioStep, sops: Sequence[Sop]) -> timedelta:
    """When a step is due from T0, for sorting; steps with no known clock sort last."""
    sop = next((s for s in sops if s.id == step.sop_id), None)
    sop_step = sop.step(step.step_id) if sop and step.step_id else None
    if sop is not None and sop_step is not None:
        clock = effective_deadline(sop, sop_step)
        if clock is not None:
            return min(clock, step.deadline) if step.deadline and step.anchor == "T0" else clock
    if step.deadline is not None and step.anchor == "T0":
        return step.deadline
    return NO_DEADLINE + (step.deadline or timedelta(0))


def dependencies(step: ScenarioStep, sops: Sequence[Sop]) -> list[tuple[str, str]]:
    """(sop id, step id) pairs a step depends on, per its SOP (anchors count as dependencies)."""
    sop = next((s for s in sops if s.id == step.sop_id), None)
    sop_step = sop.step(step.step_id) if sop and step.step_id else None
    if sop is None or sop_step is None:
        return []
    deps = list(sop_step.depends_on)
    if sop_step.anchor.startswith("step:"):
        deps.append(sop_step.anchor[5:])
    return [(sop.id, d) for d in deps]


def order_steps(steps: Sequence[ScenarioStep], sops: Sequence[Sop]) -> list[ScenarioStep]:
    """Topological order over ``depends_on`` among present steps, earliest clock first."""
    keys = [(s.sop_id, s.step_id) for s in steps]
    index = {k: i for i, k in enumerate(keys) if k[1] is not None}
    waiting = {
        i: {index[d] for d in dependencies(s, sops) if d in index} for i, s in enumerate(steps)
    }
    heap = [(step_clock(steps[i], sops), i) for i, deps in waiting.items() if not deps]
    heapq.heapify(heap)
    done: list[int] = []
    while heap:
        _, i = heapq.heappop(heap)
        done.append(i)
        for j, deps in waiting.items():
            if i in deps:
                deps.discard(i)
                if not deps:
                    heapq.heappush(heap, (step_clock(steps[j], sops), j))
    leftover = [i for i in range(len(steps)) if i not in set(done)]  # cycles: keep input order
    return [steps[i] for i in done + leftover]
