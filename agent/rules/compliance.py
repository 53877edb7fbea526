"""Deterministic compliance check of a scenario against the selected SOPs.

Checked on step ids and ``action_type``: references exist, mandatory steps are
present, ``depends_on`` order holds, deadlines are no later than the SOP's,
required notifications are sent in time, owners are defined roles, off-SOP steps
are justified, and no step does a forbidden action. Forbidden actions are matched
by ``action_type`` plus fuzzy text; a fuzzy text match of another type only flags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from agent.domain import AdherenceItem, AdherenceReport, Scenario, ScenarioStep, Violation
from agent.pack.models import ForbiddenAction, Notification, Sop
from agent.rules.order import dependencies
from agent.rules.requirements import (
    NotificationRequirement,
    StepRequirement,
    notification_requirements,
    notification_text,
    step_requirements,
)
from agent.text import normalise

FORBIDDEN_CUTOFF = 75
DEVIATION_CUTOFF = 70
NEGATION = re.compile(r"\b(do not|don t|dont|never|avoid|no|ne pas|n [a-z]+ pas|jamais|sans)\b")


@dataclass(frozen=True)
class ForbiddenHit:
    """A step that matches a forbidden action, and whether it is a violation or only a flag."""

    sop: Sop
    forbidden: ForbiddenAction
    score: float
    violation: bool


def forbidden_hit(step: ScenarioStep, sops: Sequence[Sop]) -> ForbiddenHit | None:
    """The strongest forbidden-action match for a step, or None.

    A step that cites an SOP step with that step's own words is trusted: the SOP
    author wrote both the step and the prohibitions.
    """
    if _is_verbatim(step, sops):
        return None
    text = normalise(step.action)
    negated = bool(NEGATION.search(text))
    best: ForbiddenHit | None = None
    for sop in sops:
        for fa in sop.forbidden_actions:
            fa_text = normalise(sop.render(fa.text))
            if negated and not NEGATION.search(fa_text):
                continue
            score = fuzz.token_set_ratio(text, fa_text)
            if score < FORBIDDEN_CUTOFF or (best and best.score >= score):
                continue
            same_type = fa.action_type is None or fa.action_type == step.action_type
            best = ForbiddenHit(sop, fa, score, violation=same_type)
    return best


def check_scenario(
    scenario: Scenario, sops: Sequence[Sop], facts: Mapping[str, Any]
) -> AdherenceReport:
    """Hold a scenario to the SOPs; the report lists every violation, not the first."""
    steps = step_requirements(sops, facts)
    notes = notification_requirements(sops, facts)
    violations: list[Violation] = []
    flags: list[str] = []
    for position, step in enumerate(scenario.steps):
        violations += _step_violations(step, position, scenario.steps, sops)
        hit = forbidden_hit(step, sops)
        if hit is not None:
            _record_forbidden(hit, step, violations, flags)
    violations += _missing(steps, notes, scenario.steps, sops)
    items = _items(steps, notes, scenario.steps, flags, sops)
    return AdherenceReport(
        compliant=not violations, items=items, violations=violations, flags=flags
    )


def _record_forbidden(
    hit: ForbiddenHit, step: ScenarioStep, violations: list[Violation], flags: list[str]
) -> None:
    message = (
        f"'{step.action}' matches forbidden action {hit.forbidden.id} "
        f"'{hit.forbidden.text}' ({hit.score:.0f}%)"
        + (f"; basis: {hit.forbidden.basis}" if hit.forbidden.basis else "")
    )
    if hit.violation:
        violations.append(
            Violation(
                kind="forbidden", message=message, sop_id=hit.sop.id, step_id=hit.forbidden.id
            )
        )
    else:
        flags.append(message + " (different action type: flagged, not blocked)")


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
    keys = [(s.sop_id, s.step_id) for s in all_steps]
    for dep in dependencies(step, sops):
        if dep in keys and keys.index(dep) > position:
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
    keys = {(s.sop_id, s.step_id) for s in present}
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
        note = cited_notification(step, sops)
        if (
            note is not None
            and note.to == req.notification.to
            and step.deadline is not None
            and step.deadline <= req.notification.within
        ):
            return True
    return False


def cited_notification(step: ScenarioStep, sops: Sequence[Sop]) -> Notification | None:
    """The notification a step cites, or None when it cites a step or nothing."""
    sop = next((s for s in sops if s.id == step.sop_id), None)
    return sop.notification(step.step_id) if sop and step.step_id else None


def _items(
    steps: list[StepRequirement],
    notes: list[NotificationRequirement],
    present: Sequence[ScenarioStep],
    flags: list[str],
    sops: Sequence[Sop],
) -> list[AdherenceItem]:
    by_key = {(s.sop_id, s.step_id): s for s in present}
    by_recipient = {n.to: s for s in present if (n := cited_notification(s, sops))}
    items = [
        _item(
            r.sop,
            r.step.id,
            r.applicability,
            r.required,
            r.reason,
            by_key.get(r.key),
            r.sop.render(r.step.action),
            r.step.owner,
            flags,
        )
        for r in steps
    ]
    items += [
        _item(
            n.sop,
            n.notification.ref,
            n.applicability,
            n.required,
            n.reason,
            by_recipient.get(n.notification.to),
            None,
            None,
            flags,
        )
        for n in notes
    ]
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


def _is_verbatim(step: ScenarioStep, sops: Sequence[Sop]) -> bool:
    sop = next((s for s in sops if s.id == step.sop_id), None)
    if sop is None or step.step_id is None:
        return False
    ref = sop.step(step.step_id)
    if ref is not None:
        return normalise(step.action) == normalise(sop.render(ref.action))
    note = sop.notification(step.step_id)
    return note is not None and normalise(step.action) == normalise(notification_text(note))
