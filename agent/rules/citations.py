"""Every SOP reference a scenario step carries: its own, then the duplicates merged into it."""

from __future__ import annotations

from collections.abc import Sequence

from agent.domain import ScenarioStep

Key = tuple[str | None, str | None]


def citations(step: ScenarioStep) -> list[Key]:
    """(sop id, step id) of the step, then of each step merged into it (``also_cites``)."""
    return [(step.sop_id, step.step_id), *((c.sop_id, c.step_id) for c in step.also_cites)]


def positions(steps: Sequence[ScenarioStep]) -> dict[Key, int]:
    """Where each cited reference is carried out: a merged reference sits at its kept step."""
    out: dict[Key, int] = {}
    for position, step in enumerate(steps):
        for key in citations(step):
            if key[1] is not None:
                out.setdefault(key, position)
    return out


def carriers(steps: Sequence[ScenarioStep]) -> dict[Key, ScenarioStep]:
    """The step that carries out each cited reference (the first one, if cited twice)."""
    return {key: steps[i] for key, i in positions(steps).items()}
