"""Select SOPs, apply their escalation rules, and list the notifications due."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent.context import Deps
from agent.domain import NotificationDue, RuleVerdict, SopRef
from agent.nodes.common import clearance
from agent.pack.models import Sop
from agent.rules.evidence import cite_criteria
from agent.rules.need_to_know import Clearance, visible_sop
from agent.rules.requirements import notification_requirements
from agent.rules.selection import SopChoice
from agent.rules.selection import select_sops as select
from agent.rules.severity import apply_escalations, hold_severity, seveso_reportable
from agent.state import State


def select_sops(state: State, deps: Deps) -> dict[str, Any]:
    """Applicable SOPs (most specific first), severity floors from them, notification clocks."""
    assert state.category is not None and state.severity is not None
    pack = deps.pack
    visible, redacted = _visible(pack.sops, clearance(state))
    choices = select(visible, state.category, state.severity, state.facts, state.event.site)
    hidden = _hidden_counts(pack.sops, choices, redacted, state)
    sops = [c.sop for c in choices]
    refs = [
        SopRef(
            id=c.sop.id,
            version=c.sop.version,
            title=c.sop.title,
            title_fr=c.sop.title_fr,
            content_hash=pack.sop_hashes.get(c.sop.id, ""),
            reasons=c.reasons,
        )
        for c in choices
    ]
    severity = apply_escalations(state.severity, sops, state.facts)
    severity = hold_severity(severity, state.severity_floor)
    severity = cite_criteria(severity, pack.scale, state.spans)
    codes = [state.category.code, *state.category.secondary]
    severity.reportable = seveso_reportable(severity, codes, state.facts)
    verdicts = [
        RuleVerdict(rule="sop_selection", verdict=f"{r.id}@{r.version}: {'; '.join(r.reasons)}")
        for r in refs
    ]
    if severity.level != state.severity.level:
        verdicts.append(
            RuleVerdict(
                rule="severity_adjustment", verdict=f"{state.severity.level} -> {severity.level}"
            )
        )
    if any(hidden.values()):
        verdicts.append(
            RuleVerdict(
                rule="need_to_know",
                verdict=f"hidden for clearance "
                f"{state.clearance}: {hidden['sops']} SOP(s), "
                f"{hidden['sop_steps']} step(s)",
            )
        )
    return {
        "sops": refs,
        "severity": severity,
        "notifications": _due(state, sops),
        "rules": verdicts,
        "hidden": hidden,
        "nodes": ["select_sops"],
    }


def _visible(sops: Sequence[Sop], who: Clearance) -> tuple[list[Sop], dict[str, int]]:
    """The SOPs this clearance may apply (redacted), and how many steps each lost."""
    shown: list[Sop] = []
    redacted: dict[str, int] = {}
    for sop in sops:
        view, steps_hidden = visible_sop(sop, who)
        if view is not None:
            shown.append(view)
            redacted[sop.id] = steps_hidden
    return shown, redacted


def _hidden_counts(
    sops: Sequence[Sop], chosen: Sequence[SopChoice], redacted: dict[str, int], state: State
) -> dict[str, int]:
    """Counts only: SOPs that would apply but are above clearance, steps hidden in chosen ones."""
    assert state.category is not None and state.severity is not None
    everything = select(sops, state.category, state.severity, state.facts, state.event.site)
    hidden_sops = sum(1 for c in everything if c.sop.id not in redacted)
    hidden_steps = sum(redacted.get(c.sop.id, 0) for c in chosen)
    return {"sops": hidden_sops, "sop_steps": hidden_steps}


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
