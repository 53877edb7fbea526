"""French in, French out: the plan of a French report in the SOPs' own French words.

An SOP step may carry ``action_fr``, its French wording written by the SOP's author. A
plan step that cites it with the SOP's words gets that French text beside them
(``action_fr``); the English ``action`` stays what compliance and the guard read, so a
translation never changes what is checked. A step an operator or a model reworded keeps
no French text (it would no longer say the same). Notifications read "Prévenir ...".
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.domain import Event, Scenario, ScenarioStep
from agent.pack.models import Sop
from agent.rules.glossary import looks_french
from agent.rules.requirements import notification_text


def language_of(event: Event) -> str:
    """The event's declared language, else French when its text reads as French."""
    if event.language is not None:
        return event.language
    return "fr" if looks_french(event.text) else "en"


def with_french(scenario: Scenario, sops: Sequence[Sop]) -> Scenario:
    """The scenario with each SOP step's French wording beside its English one."""
    by_id = {s.id: s for s in sops}
    steps = [_french(step, by_id) for step in scenario.steps]
    if all(a is b for a, b in zip(steps, scenario.steps, strict=True)):
        return scenario
    return scenario.model_copy(update={"steps": steps})


def _french(step: ScenarioStep, sops: dict[str, Sop]) -> ScenarioStep:
    sop = sops.get(step.sop_id or "")
    if sop is None or step.step_id is None or step.off_sop:
        return step
    ref = sop.step(step.step_id)
    if ref is not None:
        if ref.action_fr is None or step.action != sop.render(ref.action):
            return step
        return step.model_copy(update={"action_fr": sop.render(ref.action_fr)})
    note = sop.notification(step.step_id)
    if note is None or step.action != notification_text(note):
        return step
    basis = f" ({note.basis})" if note.basis else ""
    return step.model_copy(update={"action_fr": f"Prévenir {note.to.replace('_', ' ')}{basis}"})


__all__ = ["language_of", "with_french"]
