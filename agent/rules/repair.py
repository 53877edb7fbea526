"""Deterministic repair: make an offending scenario compliant, or drop it.

The LLM proposes; this decides. Repairs are recorded one by one so the operator
and the adherence report say exactly what was changed and why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from agent.domain import Scenario, ScenarioStep, Violation
from agent.guard.matcher import Guard
from agent.pack.models import Sop
from agent.rules.citations import citations
from agent.rules.compliance import check_scenario, cited_notifications
from agent.rules.merge import merge_steps
from agent.rules.order import order_steps
from agent.rules.planner import from_notification, from_requirement
from agent.rules.requirements import notification_requirements, step_requirements
from agent.rules.sanitise import sanitise


def repair_scenario(
    scenario: Scenario,
    sops: Sequence[Sop],
    facts: Mapping[str, Any],
    guard: Guard | None = None,
    selected: Collection[str] | None = None,
) -> Scenario | None:
    """A compliant version of the scenario with its repairs listed, or None if impossible.

    Forbidden text goes first (recorded in ``scenario.blocked``), then invented
    references and unjustified off-SOP steps; then clocks, types and owners are set
    to the SOP's and missing mandatory steps are added.
    """
    guard = guard or Guard(sops, {})
    chosen = {s.id for s in sops} if selected is None else selected
    report = check_scenario(scenario, sops, facts, guard, chosen)
    if report.compliant:
        return scenario.model_copy(update={"adherence": report})
    cleaned = sanitise(scenario, guard, sops, chosen)
    repairs = [b.summary for b in cleaned.blocked[len(scenario.blocked) :]]
    scenario = cleaned
    steps = _drop_offending(scenario.steps, report.violations, sops, repairs)
    steps = [_fix_step(s, sops, repairs) for s in steps]
    steps = _add_missing(steps, sops, facts, repairs)
    steps = order_steps(merge_steps(steps, sops), sops)  # an added step may repeat another
    if not steps:
        return None
    fixed = scenario.model_copy(update={"steps": steps})
    final = check_scenario(fixed, sops, facts, guard, chosen)
    if not final.compliant:
        return None
    final.repairs = repairs
    return fixed.model_copy(update={"adherence": final})


def _drop_offending(
    steps: Sequence[ScenarioStep],
    violations: list[Violation],
    sops: Sequence[Sop],
    repairs: list[str],
) -> list[ScenarioStep]:
    bad_refs = {(v.sop_id, v.step_id) for v in violations if v.kind == "unknown_reference"}
    kept: list[ScenarioStep] = []
    for step in steps:
        if step.off_sop and not (step.justification or "").strip():
            repairs.append(f"dropped off-SOP step '{step.action}': no justification")
        elif not step.off_sop and (step.sop_id, step.step_id) in bad_refs:
            repairs.append(f"dropped '{step.action}': cites unknown {step.sop_id}/{step.step_id}")
        else:
            kept.append(step)
    return _dedupe(kept, repairs)


def _dedupe(steps: list[ScenarioStep], repairs: list[str]) -> list[ScenarioStep]:
    seen: set[tuple[str | None, str | None]] = set()
    out: list[ScenarioStep] = []
    for step in steps:
        key = (step.sop_id, step.step_id)
        if not step.off_sop and key in seen:
            repairs.append(f"dropped duplicate of {step.sop_id}/{step.step_id}")
            continue
        seen.add(key)
        out.append(step)
    return out


def _fix_step(step: ScenarioStep, sops: Sequence[Sop], repairs: list[str]) -> ScenarioStep:
    sop = next((s for s in sops if s.id == step.sop_id), None)
    if sop is None or step.step_id is None:
        return _fix_owner(step, sops, repairs)
    ref = sop.step(step.step_id)
    note = sop.notification(step.step_id)
    update: dict[str, Any] = {}
    if ref is not None:
        if step.action_type != ref.action_type:
            update["action_type"] = ref.action_type
        if ref.deadline is not None and (step.deadline is None or step.deadline > ref.deadline):
            update["deadline"] = ref.deadline
        if step.owner is not None and step.owner not in sop.roles:
            update["owner"] = ref.owner
    elif note is not None and (step.deadline is None or step.deadline > note.within):
        update["deadline"] = note.within
    if update:
        repairs.append(
            f"{sop.id}/{step.step_id}: set " + ", ".join(f"{k}={v}" for k, v in update.items())
        )
    return step.model_copy(update=update)


def _fix_owner(step: ScenarioStep, sops: Sequence[Sop], repairs: list[str]) -> ScenarioStep:
    roles = {r for s in sops for r in s.roles}
    if step.owner is None or step.owner in roles:
        return step
    repairs.append(f"cleared unknown owner '{step.owner}' of '{step.action}'")
    return step.model_copy(update={"owner": None})


def _add_missing(
    steps: list[ScenarioStep], sops: Sequence[Sop], facts: Mapping[str, Any], repairs: list[str]
) -> list[ScenarioStep]:
    present = {key for s in steps for key in citations(s)}  # merged steps count too
    added = [
        from_requirement(r)
        for r in step_requirements(sops, facts)
        if r.required and r.key not in present
    ]
    recipients = {n.to for s in steps for n in cited_notifications(s, sops)}
    added += [
        from_notification(n)
        for n in notification_requirements(sops, facts)
        if n.required and n.notification.to not in recipients
    ]
    repairs += [f"added mandatory {s.sop_id}/{s.step_id} '{s.action}'" for s in added]
    return steps + added
