"""Deterministic compliance check of a scenario against the selected SOPs.

Checked on step ids and ``action_type``: references exist, mandatory steps are
present, ``depends_on`` order holds, deadlines are no later than the SOP's,
required notifications are sent in time, owners are defined roles, off-SOP steps
are justified, and no text of the scenario does a forbidden action of the pack
(see :mod:`agent.guard`): not a step, a note, a justification, the title or the
rationale, in any wording.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz

from agent.domain import AdherenceItem, AdherenceReport, Scenario, ScenarioStep, Violation
from agent.guard.matcher import Guard
from agent.pack.models import Notification, Sop
from agent.rules.citations import carriers, citations, positions
from agent.rules.order import dependencies
from agent.rules.requirements import (
    NotificationRequirement,
    StepRequirement,
    notification_requirements,
    step_requirements,
)
from agent.rules.sanitise import scenario_hits
from agent.text import normalise

DEVIATION_CUTOFF = 70


def check_scenario(
    scenario: Scenario,
    sops: Sequence[Sop],
    facts: Mapping[str, Any],
    guard: Guard | None = None,
    selected: Collection[str] | None = None,
) -> AdherenceReport:
    """Hold a scenario to the SOPs; the report lists every violation, not the first.

    ``guard`` holds every prohibition of the pack (a guard over ``sops`` alone when
    omitted, as in small tests); ``selected`` names the SOPs whose ``scope: selected``
    patterns apply (the ``sops`` given, by default).
    """
    guard = guard or Guard(sops, {})
    chosen = {s.id for s in sops} if selected is None else selected
    steps = step_requirements(sops, facts)
    notes = notification_requirements(sops, facts)
    violations: list[Violation] = []
    for position, step in enumerate(scenario.steps):
        violations += _step_violations(step, position, scenario.steps, sops)
        violations += _merged_violations(step, position, scenario.steps, sops)
    violations += [h.violation(scenario.id) for h in scenario_hits(scenario, guard, sops, chosen)]
    violations += _missing(steps, notes, scenario.steps, sops)
    flags: list[str] = []
    items = _items(steps, notes, scenario.steps, flags, sops)
    return AdherenceReport(
        compliant=not violations, items=items, violations=violations, flags=flags
    )


def _step_violations(
    step: ScenarioStep, position: int, all_steps: Sequence[ScenarioStep], sops: Sequence[Sop]
) -> list[Violation]:
    if step.off_sop:
        if step.justification and step.justification.strip():
            return _owner_violation(step, sops)
        return [
            Violation(
                kind="off_sop_unjustified",
                message=f"off-SOP step '{step.action}' has no justification",
            )
        ]
    sop = next((s for s in sops if s.id == step.sop_id), None)
    if sop is None or step.step_id is None:
        return [
            Violation(
                kind="unknown_reference",
                sop_id=step.sop_id,
                step_id=step.step_id,
                message=f"'{step.action}' cites {step.sop_id}/{step.step_id}, which is "
                "not a step of the applicable SOPs",
            )
        ]
    if sop.notification(step.step_id) is not None:
        return _notification_step_violations(step, sop) + _owner_violation(step, sops)
    return _sop_step_violations(step, position, all_steps, sop, sops)


def _merged_violations(
    step: ScenarioStep, position: int, all_steps: Sequence[ScenarioStep], sops: Sequence[Sop]
) -> list[Violation]:
    """Each step merged into this one must exist and hold: type, clock, order (not owner)."""
    out: list[Violation] = []
    for cite in step.also_cites:
        proxy = step.model_copy(
            update={"sop_id": cite.sop_id, "step_id": cite.step_id, "owner": None, "also_cites": []}
        )
        out += _step_violations(proxy, position, all_steps, sops)
    return out


def _sop_step_violations(
    step: ScenarioStep,
    position: int,
    all_steps: Sequence[ScenarioStep],
    sop: Sop,
    sops: Sequence[Sop],
) -> list[Violation]:
    ref = sop.step(step.step_id or "")
    if ref is None:
        return [
            Violation(
                kind="unknown_reference",
                sop_id=sop.id,
                step_id=step.step_id,
                message=f"{sop.id} has no step {step.step_id}",
            )
        ]
    out = _owner_violation(step, sops)
    if step.action_type != ref.action_type:
        out.append(
            Violation(
                kind="action_type",
                sop_id=sop.id,
                step_id=ref.id,
                message=f"{ref.id} is '{ref.action_type}', scenario says '{step.action_type}'",
            )
        )
    if ref.deadline is not None and (step.deadline is None or step.deadline > ref.deadline):
        out.append(
            Violation(
                kind="deadline",
                sop_id=sop.id,
                step_id=ref.id,
                message=f"{ref.id} is due within {ref.deadline} of {ref.anchor}, "
                f"scenario says {step.deadline}",
            )
        )
    where = positions(all_steps)
    for dep in dependencies(step, sops):
        if where.get(dep, -1) > position:
            out.append(
                Violation(
                    kind="order",
                    sop_id=sop.id,
                    step_id=ref.id,
                    message=f"{ref.id} depends on {dep[1]}, which comes after it",
                )
            )
    return out


def _notification_step_violations(step: ScenarioStep, sop: Sop) -> list[Violation]:
    n = sop.notification(step.step_id or "")
    assert n is not None
    if step.deadline is None or step.deadline > n.within:
        return [
            Violation(
                kind="deadline",
                sop_id=sop.id,
                step_id=n.ref,
                message=f"{n.to} must be notified within {n.within}, scenario says {step.deadline}",
            )
        ]
    return []


def _owner_violation(step: ScenarioStep, sops: Sequence[Sop]) -> list[Violation]:
    if step.owner is None:
        return []
    owners = {role for s in sops for role in s.roles}
    sop = next((s for s in sops if s.id == step.sop_id), None)
    allowed = set(sop.roles) if sop else owners
    if step.owner in allowed:
        return []
    return [
        Violation(
            kind="unknown_owner",
            sop_id=step.sop_id,
            step_id=step.step_id,
            message=f"owner '{step.owner}' is not a role of {step.sop_id or 'the applicable SOPs'}",
        )
    ]


def _missing(
    steps: list[StepRequirement],
    notes: list[NotificationRequirement],
    present: Sequence[ScenarioStep],
    sops: Sequence[Sop],
) -> list[Violation]:
    keys = set(positions(present))
    out = [
        Violation(
            kind="missing_mandatory",
            sop_id=r.sop.id,
            step_id=r.step.id,
            message=f"mandatory step {r.sop.id}/{r.step.id} '{r.step.action}' is missing",
        )
        for r in steps
        if r.required and r.key not in keys
    ]
    for n in notes:
        if n.required and not _notified(n, present, sops):
            out.append(
                Violation(
                    kind="missing_notification",
                    sop_id=n.sop.id,
                    step_id=n.notification.ref,
                    message=f"required notification to {n.notification.to} within "
                    f"{n.notification.within} is missing or late",
                )
            )
    return out


def _notified(
    req: NotificationRequirement, present: Sequence[ScenarioStep], sops: Sequence[Sop]
) -> bool:
    """A step notifies the same recipient, citing any selected SOP, within the strictest clock."""
    for step in present:
        for note in cited_notifications(step, sops):
            if (
                note.to == req.notification.to
                and step.deadline is not None
                and step.deadline <= req.notification.within
            ):
                return True
    return False


def cited_notification(step: ScenarioStep, sops: Sequence[Sop]) -> Notification | None:
    """The notification a step cites, or None when it cites a step or nothing."""
    sop = next((s for s in sops if s.id == step.sop_id), None)
    return sop.notification(step.step_id) if sop and step.step_id else None


def cited_notifications(step: ScenarioStep, sops: Sequence[Sop]) -> list[Notification]:
    """Every notification a step sends: the one it cites, then those merged into it."""
    out = []
    for sop_id, step_id in citations(step):
        sop = next((s for s in sops if s.id == sop_id), None)
        note = sop.notification(step_id) if sop and step_id else None
        if note is not None:
            out.append(note)
    return out


def _by_recipient(present: Sequence[ScenarioStep], sops: Sequence[Sop]) -> dict[str, ScenarioStep]:
    """Who notifies each recipient: a step citing it first, else one it is merged into."""
    out = {n.to: s for s in present if (n := cited_notification(s, sops))}
    for step in present:
        for note in cited_notifications(step, sops):
            out.setdefault(note.to, step)
    return out


def _merged_item(
    sop_id: str, step_id: str, applicability: str, reason: str, step: ScenarioStep
) -> AdherenceItem:
    """An SOP step carried out by the step it was merged into: followed, and said so."""
    why = f"merged into {step.sop_id}/{step.step_id} (same action)"
    if applicability == "conditional":
        why = f"{why}, waits for: {reason}"
        return AdherenceItem(sop_id=sop_id, step_id=step_id, status="conditional", reason=why)
    return AdherenceItem(sop_id=sop_id, step_id=step_id, status="followed", reason=why)


def _items(
    steps: list[StepRequirement],
    notes: list[NotificationRequirement],
    present: Sequence[ScenarioStep],
    flags: list[str],
    sops: Sequence[Sop],
) -> list[AdherenceItem]:
    by_key = carriers(present)
    items: list[AdherenceItem] = []
    for r in steps:
        step = by_key.get(r.key)
        if step and (step.sop_id, step.step_id) != r.key and r.applicability != "not_applicable":
            items.append(_merged_item(r.sop.id, r.step.id, r.applicability, r.reason, step))
            continue
        items.append(
            _item(r.sop, r.step.id, r.applicability, r.required, r.reason, step,
                  r.sop.render(r.step.action), r.step.owner, flags)
        )
    return items + _notification_items(notes, present, flags, sops)


def _notification_items(
    notes: list[NotificationRequirement],
    present: Sequence[ScenarioStep],
    flags: list[str],
    sops: Sequence[Sop],
) -> list[AdherenceItem]:
    by_recipient = _by_recipient(present, sops)
    items: list[AdherenceItem] = []
    for n in notes:
        step = by_recipient.get(n.notification.to)
        own = cited_notification(step, sops) if step else None
        if step and (own is None or own.to != n.notification.to) and (
            n.applicability != "not_applicable"
        ):
            items.append(
                _merged_item(n.sop.id, n.notification.ref, n.applicability, n.reason, step)
            )
            continue
        items.append(
            _item(n.sop, n.notification.ref, n.applicability, n.required, n.reason, step,
                  None, None, flags)
        )
    return items


def _item(
    sop: Sop,
    step_id: str,
    applicability: str,
    required: bool,
    reason: str,
    step: ScenarioStep | None,
    sop_text: str | None,
    sop_owner: str | None,
    flags: list[str],
) -> AdherenceItem:
    def item(status: Any, why: str) -> AdherenceItem:
        return AdherenceItem(sop_id=sop.id, step_id=step_id, status=status, reason=why)

    if applicability == "not_applicable":
        return item("not_applicable", f"condition does not hold: {reason}")
    if step is None:
        if applicability == "conditional":
            return item("conditional", f"waits for: {reason}")
        return item("skipped", "mandatory step missing" if required else "optional, not included")
    if step.reworded:
        return item("deviated", "the model reworded this step: the SOP's words are shown, "
                    "the model's are in the note")
    if (
        sop_text
        and fuzz.token_set_ratio(normalise(step.action), normalise(sop_text)) < DEVIATION_CUTOFF
    ):
        flags.append(f"{sop.id}/{step_id}: wording differs from the SOP: '{step.action}'")
        return item("deviated", f"wording differs from the SOP text '{sop_text}'")
    if sop_owner and step.owner and step.owner != sop_owner:
        return item("deviated", f"owner {step.owner} instead of {sop_owner}")
    if applicability == "conditional":
        return item("conditional", f"included, waits for: {reason}")
    return item("followed", "as written in the SOP")
