"""Select SOPs, apply their escalation rules, and list the notifications due."""

from __future__ import annotations

from typing import Any

from agent.context import Deps
from agent.domain import NotificationDue, RuleVerdict, SopRef
from agent.rules.requirements import notification_requirements
from agent.rules.selection import select_sops as select
from agent.rules.severity import apply_escalations, seveso_reportable
from agent.state import State


def select_sops(state: State, deps: Deps) -> dict[str, Any]:
    """Applicable SOPs (most specific first), severity floors from them, notification clocks."""
    assert state.category is not None and state.severity is not None
    pack = deps.pack
    choices = select(pack.sops, state.category, state.severity, state.facts, state.event.site)
    sops = [c.sop for c in choices]
    refs = [
        SopRef(
            id=c.sop.id,
            version=c.sop.version,
            title=c.sop.title,
            content_hash=pack.sop_hashes.get(c.sop.id, ""),
            reasons=c.reasons,
        )
        for c in choices
    ]
    severity = apply_escalations(state.severity, sops, state.facts)
    codes = [state.category.code, *state.category.secondary]
    severity.reportable = seveso_reportable(severity, codes, state.facts)
    verdicts = [
        RuleVerdict(rule="sop_selection", verdict=f"{r.id}@{r.version}: {'; '.join(r.reasons)}")
        for r in refs
    ]
    if severity.level != state.severity.level:
        verdicts.append(
            RuleVerdict(
                rule="sop_escalation", verdict=f"{state.severity.level} -> {severity.level}"
            )
        )
    return {
        "sops": refs,
        "severity": severity,
        "notifications": _due(state, sops),
        "rules": verdicts,
        "nodes": ["select_sops"],
    }


def _due(state: State, sops: list[Any]) -> list[NotificationDue]:
    t0 = state.event.reported_at
    return [
        NotificationDue(
            sop_id=r.sop.id,
            ref=r.notification.ref,
            to=r.notification.to,
            within=r.notification.within,
            due_at=t0 + r.notification.within,
            mandatory=r.notification.mandatory,
            conditional=r.applicability == "conditional",
            basis=r.notification.basis,
        )
        for r in notification_requirements(sops, state.facts)
        if r.applicability != "not_applicable"
    ]
