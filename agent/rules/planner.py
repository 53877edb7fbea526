"""Deterministic scenario building from SOP steps, notifications and precedents.

Three courses of action, each compliant by construction:

* **By the book**: every applicable step and due notification, conditional steps flagged.
* **Informed by precedent**: the mandatory core plus the SOP steps that past actions map
  to, each citing its step with the precedent as its reason. Past actions are lessons
  (:mod:`agent.rules.lessons`): a narrative or condemned one never becomes a step; a
  vetted instruction may, off-SOP, with its source.
* **Rapid response**: the mandatory core and legal notifications only, for a cell
  short of hands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz, process

from agent.domain import Lesson, PastAction, Precedent, Scenario, ScenarioStep
from agent.pack.models import Sop
from agent.rules.lessons import judge, lesson, sop_verbs
from agent.rules.order import order_steps
from agent.rules.requirements import (
    NotificationRequirement,
    StepRequirement,
    effective_deadline,
    notification_requirements,
    notification_text,
    notify_owner,
    step_requirements,
)
from agent.text import normalise

PRECEDENT_MATCH_CUTOFF = 72
SAME_TYPE_CUTOFF = 55
MAX_OFF_SOP = 3
MAX_PRECEDENTS = 3


def from_requirement(req: StepRequirement) -> ScenarioStep:
    """A scenario step that cites an SOP step, with the SOP's own words and clock."""
    step = req.step
    return ScenarioStep(
        sop_id=req.sop.id,
        step_id=step.id,
        action=req.sop.render(step.action),
        action_type=step.action_type,
        owner=step.owner,
        deadline=step.deadline,
        anchor=step.anchor,
        mandatory=step.mandatory,
        conditional=req.applicability == "conditional",
        source="sop",
    )


def from_notification(req: NotificationRequirement) -> ScenarioStep:
    """A scenario step that sends a required notification before its clock runs out."""
    n = req.notification
    return ScenarioStep(
        sop_id=req.sop.id,
        step_id=n.ref,
        action=notification_text(n),
        action_type="notify",
        owner=notify_owner(req.sop),
        deadline=n.within,
        mandatory=n.mandatory or req.required,
        conditional=req.applicability == "conditional",
        source="notification",
    )


def build_scenarios(
    sops: Sequence[Sop],
    facts: Mapping[str, Any],
    precedents: Sequence[Precedent] = (),
    limit: int = 3,
) -> list[Scenario]:
    """Up to ``limit`` distinct scenarios from the selected SOPs (none if no SOP)."""
    if not sops:
        return []
    steps = step_requirements(sops, facts)
    notes = notification_requirements(sops, facts)
    candidates = [
        _by_the_book(sops, steps, notes),
        _precedent_informed(sops, steps, notes, precedents),
        _rapid(sops, steps, notes),
    ]
    return _distinct([c for c in candidates if c is not None])[:limit]


def _core(steps: list[StepRequirement], notes: list[NotificationRequirement]) -> list[ScenarioStep]:
    core = [from_requirement(r) for r in steps if r.required]
    return core + [from_notification(n) for n in notes if n.required]


def _by_the_book(
    sops: Sequence[Sop], steps: list[StepRequirement], notes: list[NotificationRequirement]
) -> Scenario:
    chosen = [from_requirement(r) for r in steps if r.applicability != "not_applicable"]
    chosen += [from_notification(n) for n in notes if n.applicability != "not_applicable"]
    return Scenario(
        id="A",
        title="By the book",
        rationale="Every applicable step of "
        + ", ".join(s.id for s in sops)
        + " in dependency and deadline order; conditional steps are marked and wait for "
        "their trigger.",
        steps=order_steps(chosen, sops),
    )


def _rapid(
    sops: Sequence[Sop], steps: list[StepRequirement], notes: list[NotificationRequirement]
) -> Scenario | None:
    core = _core(steps, notes)
    if not core:
        return None
    return Scenario(
        id="C",
        title="Rapid response (mandatory core)",
        rationale="Only the mandatory steps and legal notifications, for a cell short of "
        "people in the first hour; add the rest as hands arrive.",
        steps=order_steps(core, sops),
    )


def precedent_lessons(
    sops: Sequence[Sop], facts: Mapping[str, Any], precedents: Sequence[Precedent]
) -> list[Lesson]:
    """The top precedents as lessons: every past action judged, none of them a step yet."""
    usable = [r for r in step_requirements(sops, facts) if r.applicability != "not_applicable"]
    return _lessons(usable, precedents)


def _lessons(usable: list[StepRequirement], precedents: Sequence[Precedent]) -> list[Lesson]:
    verbs = sop_verbs((r.sop.render(r.step.action), r.step.action_type) for r in usable)
    out: list[Lesson] = []
    for precedent in precedents[:MAX_PRECEDENTS]:
        done = []
        for action in precedent.actions:
            req = _matching_step(action.text, action.action_type, usable)
            step = f"{req.sop.id}/{req.step.id}" if req else None
            done.append(judge(action, precedent, verbs, step))
        out.append(lesson(precedent, done))
    return out


def _precedent_informed(
    sops: Sequence[Sop],
    steps: list[StepRequirement],
    notes: list[NotificationRequirement],
    precedents: Sequence[Precedent],
) -> Scenario | None:
    if not precedents:
        return None
    core = _core(steps, notes)
    chosen = {(s.sop_id, s.step_id): s for s in core}
    usable = {f"{r.sop.id}/{r.step.id}": r for r in steps if r.applicability != "not_applicable"}
    off_sop: list[ScenarioStep] = []
    for item in _lessons(list(usable.values()), precedents):
        for past in item.done:
            if past.verdict == "mapped" and past.step in usable:
                _cite(chosen, usable[past.step], item, past)
        vetted = [p for p in item.done if p.verdict == "vetted"]
        if vetted and len(off_sop) < MAX_OFF_SOP:
            off_sop.append(_off_sop_step(vetted[0], item))
    if len(chosen) == len(core) and not off_sop:
        return None
    ids = [p.id for p in precedents[:MAX_PRECEDENTS]]
    return Scenario(
        id="B",
        title="Informed by precedent",
        rationale="Mandatory core plus the SOP steps that match what was done in "
        + ", ".join(ids)
        + "; past actions that map to no SOP step stay lessons beside the plan, and one "
        "vetted instruction per incident at most is added as off-SOP, with its source.",
        steps=order_steps([*chosen.values(), *off_sop], sops),
        precedent_ids=ids,
    )


def _cite(
    chosen: dict[tuple[str | None, str | None], ScenarioStep],
    req: StepRequirement,
    item: Lesson,
    past: PastAction,
) -> None:
    """Add (or annotate) the SOP step a past action maps to, with the precedent as reason."""
    step = chosen.get(req.key) or from_requirement(req)
    if not step.justification:
        reason = f"as in {item.precedent_id}: {past.text[:160]}"
        step = step.model_copy(update={"justification": reason})
    chosen[req.key] = step


def _matching_step(
    text: str, action_type: str | None, usable: list[StepRequirement]
) -> StepRequirement | None:
    """The SOP step a past action corresponds to: same verb class, or very close wording."""
    query = normalise(text)
    same = [r for r in usable if action_type and r.step.action_type == action_type]
    for pool, cutoff in ((same, SAME_TYPE_CUTOFF), (usable, PRECEDENT_MATCH_CUTOFF)):
        choices = [normalise(r.sop.render(r.step.action)) for r in pool]
        match = process.extractOne(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=cutoff)
        if match:
            return pool[match[2]]
    return None


def _off_sop_step(past: PastAction, item: Lesson) -> ScenarioStep:
    """A vetted past instruction, off-SOP, with where it comes from and how it ended."""
    return ScenarioStep(
        action=past.text[:300],
        action_type=past.action_type or "assess",
        deadline=past.at,
        off_sop=True,
        source="precedent",
        justification=f"done in {item.precedent_id} ({item.title}); outcome: {item.outcome[:160]}",
    )


def _distinct(scenarios: list[Scenario]) -> list[Scenario]:
    seen: set[tuple[tuple[str | None, str | None, str], ...]] = set()
    out: list[Scenario] = []
    for scenario in scenarios:
        signature = tuple((s.sop_id, s.step_id, s.action) for s in scenario.steps)
        if signature not in seen:
            seen.add(signature)
            out.append(scenario)
    return out


__all__ = [
    "build_scenarios",
    "effective_deadline",
    "from_notification",
    "from_requirement",
    "precedent_lessons",
]
