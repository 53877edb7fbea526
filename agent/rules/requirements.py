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
    """A recipient to notify, with the strictest clock any selected SOP sets for it.

    Several SOPs often require the same call (fire and rescue, the inspectorate):
    they are merged by recipient, so the cell calls once, within the earliest deadline.
    """

    sop: Sop
    notification: Notification
    applicability: Applicability
    reason: str
    required: bool = False
    """Due for sure: mandatory in some SOP, or a condition that holds."""
    also: tuple[str, ...] = ()
    """Other SOPs that require the same recipient."""

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
    """One requirement per recipient across the selected SOPs, strictest clock first."""
    groups: dict[str, list[NotificationRequirement]] = {}
    for sop in sops:
        for n in sop.notifications:
            status = applicability(evaluate(n.when, facts))
            reason = n.basis or ("mandatory" if n.mandatory else "recommended")
            required = status == "applies" and (n.mandatory or n.when is not None)
            req = NotificationRequirement(sop, n, status, reason, required)
            groups.setdefault(n.to, []).append(req)
    return [_merge(group) for group in groups.values()]


_RANK = {"applies": 0, "conditional": 1, "not_applicable": 2}


def _merge(group: list[NotificationRequirement]) -> NotificationRequirement:
    best = min(group, key=lambda r: (_RANK[r.applicability], r.notification.within))
    live = [r for r in group if r.applicability != "not_applicable"] or [best]
    strictest = min(live, key=lambda r: r.notification.within)
    others = tuple(sorted({r.sop.id for r in group} - {strictest.sop.id}))
    return NotificationRequirement(
        strictest.sop,
        strictest.notification,
        best.applicability,
        strictest.reason,
        required=any(r.required for r in group),
        also=others,
    )


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
