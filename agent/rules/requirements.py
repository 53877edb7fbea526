"""What the selected SOPs demand for this event: applicable steps and notifications.

Shared by the planner (which builds scenarios from it) and the compliance checker
(which holds scenarios to it), so both read the SOPs the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from agent.pack.models import Notification, Sop, Step
from agent.rules.conditions import describe, evaluate

Applicability = Literal["applies", "conditional", "not_applicable"]
NOTIFY_OWNER_POSITIONS = ("liaison_officer", "incident_commander")


@dataclass(frozen=True)
class StepRequirement:
    """One SOP step and whether it applies to this event."""

    sop: Sop
    step: Step
    applicability: Applicability
    reason: str

    @property
    def required(self) -> bool:
        """Mandatory and known to apply: a scenario without it is not compliant."""
        return self.step.mandatory and self.applicability == "applies"

    @property
    def key(self) -> tuple[str, str]:
        """(sop id, step id)."""
        return (self.sop.id, self.step.id)


@dataclass(frozen=True)
class NotificationRequirement:
    """One notification and whether it is due for this event."""

    sop: Sop
    notification: Notification
    applicability: Applicability
    reason: str

    @property
    def required(self) -> bool:
        """Due for sure: mandatory, or its condition holds."""
        n = self.notification
        if self.applicability != "applies":
            return False
        return n.mandatory or n.when is not None

    @property
    def key(self) -> tuple[str, str]:
        """(sop id, notification ref)."""
        return (self.sop.id, self.notification.ref)


def applicability(condition_result: bool | None) -> Applicability:
    """Map a three-valued condition to an applicability."""
    if condition_result is None:
        return "conditional"
    return "applies" if condition_result else "not_applicable"


def step_requirements(sops: Sequence[Sop], facts: Mapping[str, Any]) -> list[StepRequirement]:
    """Every step of every selected SOP, with its applicability for these facts."""
    out: list[StepRequirement] = []
    for sop in sops:
        for step in sop.steps:
            result = evaluate(step.when, facts)
            if step.anchor == "condition" and step.when is None:
                result = None
            reason = "always" if step.when is None else describe(step.when)
            out.append(StepRequirement(sop, step, applicability(result), reason))
    return out


def notification_requirements(
    sops: Sequence[Sop], facts: Mapping[str, Any]
) -> list[NotificationRequirement]:
    """Every notification of every selected SOP, with its applicability."""
    out: list[NotificationRequirement] = []
    for sop in sops:
        for n in sop.notifications:
            result = evaluate(n.when, facts)
            reason = n.basis or ("mandatory" if n.mandatory else "recommended")
            out.append(NotificationRequirement(sop, n, applicability(result), reason))
    return out


def notification_text(n: Notification) -> str:
    """The action text of the step that sends a notification."""
    basis = f" ({n.basis})" if n.basis else ""
    return f"Notify {n.to.replace('_', ' ')}{basis}"


def notify_owner(sop: Sop) -> str:
    """The role that sends notifications: liaison officer, else incident commander, else first."""
    for position in NOTIFY_OWNER_POSITIONS:
        for name, role in sop.roles.items():
            if role.ics == position:
                return name
    return next(iter(sop.roles))


def effective_deadline(
    sop: Sop, step: Step, _seen: frozenset[str] = frozenset()
) -> timedelta | None:
    """Deadline from T0, following ``step:<id>`` anchors; None for condition anchors or none set."""
    if step.deadline is None:
        return None
    if step.anchor.startswith("step:") and step.id not in _seen:
        parent = sop.step(step.anchor[5:])
        base = effective_deadline(sop, parent, _seen | {step.id}) if parent else None
        return None if base is None else base + step.deadline
    return step.deadline if step.anchor == "T0" else None
