"""The facts a prompt carries: only what the step needs, never the whole archive.

Categorisation sees the event, the taxonomy codes with their labels and the
precedents' votes. Scenario generation sees the event, the category, the
severity, the steps of the selected SOPs that may apply (ids, owners, deadlines,
dependencies), the notifications due, the forbidden actions, the titles and
resolutions of the top precedents and, on a repair round, the checker's findings.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from agent.domain import Event, Scenario
from agent.llm.base import CategoriseRequest, ScenarioRequest
from agent.pack.models import Sop
from agent.rules.requirements import (
    NotificationRequirement,
    StepRequirement,
    notification_requirements,
    step_requirements,
)

TOP_PRECEDENTS = 3


def to_json(document: dict[str, Any]) -> str:
    """Compact, deterministic JSON for a user message."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)


def minutes(delta: timedelta | None) -> float | None:
    """A duration in minutes (None stays None)."""
    return None if delta is None else round(delta.total_seconds() / 60, 2)


def event_facts(event: Event, facts: dict[str, Any]) -> dict[str, Any]:
    """The report, its site and time, and the facts known."""
    return {
        "text": event.text,
        "site": event.site,
        "reported_at": event.reported_at.isoformat(),
        "facts": facts,
    }


def categorise_facts(request: CategoriseRequest) -> dict[str, Any]:
    """The user message of the categorisation step."""
    taxonomy = [
        {"code": f"{f.code}.{s.code}", "label": s.label}
        for f in request.taxonomy.families
        for s in f.subtypes
    ]
    votes = [{"category": c, "score": round(score, 2)} for c, score, _ in request.precedent_votes]
    return {
        "event": event_facts(request.event, request.facts),
        "taxonomy": taxonomy,
        "precedent_votes": votes,
    }


def scenario_facts(request: ScenarioRequest) -> dict[str, Any]:
    """The user message of the scenario step (and of its repair rounds)."""
    steps = step_requirements(request.sops, request.facts)
    notes = notification_requirements(request.sops, request.facts)
    document: dict[str, Any] = {
        "event": event_facts(request.event, request.facts),
        "category": request.category.code,
        "severity": request.severity.level,
        "sops": [_sop(sop, steps, notes) for sop in request.sops],
        "precedents": [
            {"id": p.id, "title": p.title, "resolution": p.resolution}
            for p in list(request.precedents)[:TOP_PRECEDENTS]
        ],
        "max_scenarios": request.max_scenarios,
    }
    if request.guidance:
        document["guidance"] = request.guidance
    if request.feedback:
        document["previous_answer"] = [_compact(s) for s in request.previous]
        document["violations"] = [v.message for v in request.feedback]
    return document


def _sop(sop: Sop, steps: list[StepRequirement], notes: list[NotificationRequirement]) -> Any:
    """One SOP as the model sees it: applicable steps, notifications due, prohibitions."""
    return {
        "id": sop.id,
        "title": sop.title,
        "roles": sorted(sop.roles),
        "steps": [
            _step(r)
            for r in steps
            if r.sop.id == sop.id and r.applicability != "not_applicable"
        ],
        "notifications": [
            {
                "ref": n.notification.ref,
                "to": n.notification.to,
                "within_minutes": minutes(n.notification.within),
                "required": n.required,
            }
            for n in notes
            if n.sop.id == sop.id and n.applicability != "not_applicable"
        ],
        "forbidden_actions": [
            {"id": f.id, "text": sop.render(f.text), "action_type": f.action_type}
            for f in sop.forbidden_actions
        ],
    }


def _step(req: StepRequirement) -> dict[str, Any]:
    step = req.step
    return {
        "id": step.id,
        "action": req.sop.render(step.action),
        "action_type": step.action_type.value,
        "owner": step.owner,
        "deadline_minutes": minutes(step.deadline),
        "mandatory": step.mandatory,
        "applies": "yes" if req.applicability == "applies" else "conditional",
        "depends_on": step.depends_on,
    }


def _compact(scenario: Scenario) -> dict[str, Any]:
    """A previous scenario, short: what was cited and when."""
    return {
        "title": scenario.title,
        "steps": [
            {
                "sop_id": s.sop_id,
                "step_id": s.step_id,
                "action": s.action,
                "deadline_minutes": minutes(s.deadline),
            }
            for s in scenario.steps
        ],
    }
