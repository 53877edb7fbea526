"""Exports of a crisis: ICS-214 activity log and ICS-201 briefing, as JSON and Markdown.

Both are built from what the clearance of the crisis could see: the suggestion was
already filtered before it was made, so nothing hidden can leak into an export.
The Markdown renderings escape every value that came from the event, the model
or an operator (:mod:`agent.safe_text`): no raw HTML, image, link or autolink
survives, so opening an export cannot beacon out or run script.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from agent.briefing import fmt_delta
from agent.domain import Approval, Scenario, Suggestion, utcnow
from agent.pack import Pack
from agent.safe_text import markdown_block, markdown_inline
from agent.store.crisis_log import Crisis, LogEntry

OBJECTIVES = (
    ("Protect life and health", {"alert", "evacuate", "shelter", "rescue"}),
    ("Stabilise the incident", {"isolate", "contain", "mitigate"}),
    ("Protect the environment", {"contain", "mitigate"}),
    ("Inform, notify and coordinate", {"notify", "communicate"}),
    ("Protect property and restore operations", {"recover", "assess"}),
)


def ics214(
    crisis: Crisis, entries: Sequence[LogEntry], now: datetime | None = None
) -> dict[str, Any]:
    """ICS-214 activity log: incident, operational period, and every notable activity."""
    return {
        "form": "ICS-214",
        "incident_name": crisis.title,
        "incident_id": crisis.id,
        "operational_period": {
            "from": crisis.opened_at.isoformat(),
            "to": (now or utcnow()).isoformat(),
        },
        "prepared_by": crisis.opened_by,
        "status": crisis.status,
        "activity_log": [
            {
                "id": e.id,
                "time": e.at.isoformat(),
                "author": e.author,
                "kind": e.kind,
                "activity": e.summary,
                "rationale": e.rationale,
                "corrects": e.corrects,
                "run_id": e.run_id,
            }
            for e in entries
        ],
    }


def ics201(
    crisis: Crisis, suggestion: Suggestion, approval: Approval | None, pack: Pack
) -> dict[str, Any]:
    """ICS-201 briefing: situation, objectives, actions against T0, notifications, organisation."""
    plan = (
        approval.scenario
        if approval
        else (suggestion.scenarios[0] if suggestion.scenarios else None)
    )
    return {
        "form": "ICS-201",
        "incident_name": crisis.title,
        "incident_id": crisis.id,
        "initiated": suggestion.event.reported_at.isoformat(),
        "site": suggestion.event.site,
        "situation": _situation(suggestion),
        "objectives": objectives(plan),
        "plan": {
            "title": plan.title if plan else None,
            "approved": approval is not None,
            "approved_by": approval.author if approval else None,
        },
        "actions": _actions(plan, suggestion),
        "notifications": [
            {
                "to": n.to,
                "within": fmt_delta(n.within),
                "due_at": n.due_at.isoformat(),
                "mandatory": n.mandatory,
                "conditional": n.conditional,
                "basis": n.basis,
            }
            for n in sorted(suggestion.notifications, key=lambda n: n.within)
        ],
        "organisation": organisation(suggestion, pack),
        "run_id": suggestion.lineage.run_id,
    }


def _situation(s: Suggestion) -> dict[str, Any]:
    return {
        "summary": s.event.text,
        "category": s.category.code,
        "secondary": s.category.secondary,
        "severity": s.severity.display,
        "criteria": [f"{c.label}: {c.value} -> {c.level}" for c in s.severity.criteria],
        "unknowns": s.severity.unknowns,
        "reportable": s.severity.reportable,
        "degraded": s.degraded,
        "sops": [f"{r.id} v{r.version}" for r in s.sops],
    }


def objectives(plan: Scenario | None) -> list[dict[str, Any]]:
    """Ranked objectives (life, stabilisation, environment, coordination, property)."""
    if plan is None:
        return []
    out = []
    for rank, (label, types) in enumerate(OBJECTIVES, start=1):
        serving = [
            f"{s.sop_id or 'off-SOP'}/{s.step_id or '-'}"
            for s in plan.steps
            if s.action_type in types
        ]
        if serving:
            out.append({"rank": rank, "objective": label, "steps": serving})
    return out


def _actions(plan: Scenario | None, s: Suggestion) -> list[dict[str, Any]]:
    if plan is None:
        return []
    t0 = s.event.reported_at
    return [
        {
            "when": fmt_delta(step.deadline) if step.anchor == "T0" else f"{step.anchor}+",
            "due_at": (t0 + step.deadline).isoformat()
            if step.deadline and step.anchor == "T0"
            else None,
            "action": step.action,
            "action_type": step.action_type,
            "owner": step.owner,
            "sop_step": f"{step.sop_id}/{step.step_id}" if not step.off_sop else "off-SOP",
            "mandatory": step.mandatory,
            "conditional": step.conditional,
        }
        for step in plan.steps
    ]


def organisation(s: Suggestion, pack: Pack) -> list[dict[str, str]]:
    """Local roles of the applied SOPs and the ICS positions they fill."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for ref in s.sops:
        sop = pack.sop(ref.id)
        for name, role in sop.roles.items() if sop else []:
            seen.setdefault(
                (role.ics, name),
                {
                    "ics_position": role.ics,
                    "role": name,
                    "label": role.label or name,
                    "sop": ref.id,
                },
            )
    return sorted(seen.values(), key=lambda r: (r["ics_position"], r["role"]))


def ics214_markdown(form: dict[str, Any]) -> str:
    """ICS-214 as a Markdown document."""
    lines = [
        f"# ICS-214 Activity log: {_md(form['incident_name'])}",
        "",
        f"- Incident: {_md(form['incident_id'])} ({_md(form['status'])})",
        f"- Operational period: {form['operational_period']['from']} to "
        f"{form['operational_period']['to']}",
        f"- Prepared by: {_md(form['prepared_by'])}",
        "",
        "| # | time | author | kind | activity | rationale |",
        "|---|---|---|---|---|---|",
    ]
    for a in form["activity_log"]:
        note = f" (corrects #{a['corrects']})" if a["corrects"] else ""
        lines.append(
            f"| {a['id']} | {a['time']} | {_md(a['author'])} | {_md(a['kind'])} | "
            f"{_md(a['activity'])}{note} | {_md(a['rationale'] or '')} |"
        )
    return "\n".join(lines) + "\n"


def ics201_markdown(form: dict[str, Any]) -> str:
    """ICS-201 as a Markdown document."""
    sit = form["situation"]
    lines = [
        f"# ICS-201 Incident briefing: {_md(form['incident_name'])}",
        "",
        f"- Incident: {_md(form['incident_id'])}, initiated {form['initiated']}, "
        f"site {_md(form['site'] or 'unspecified')}",
        "",
        "## Situation",
        "",
        markdown_block(sit["summary"]),
        "",
        f"- Category: {_md(sit['category'])}  Severity: {_md(sit['severity'])}"
        + ("  REPORTABLE (Seveso Annex VI)" if sit["reportable"] else ""),
        *[f"- {_md(c)}" for c in sit["criteria"]],
        f"- Unknown: {_md(', '.join(sit['unknowns']) or 'none')}",
        "",
        "## Objectives",
        "",
    ]
    lines += [f"{o['rank']}. {_md(o['objective'])}" for o in form["objectives"]]
    lines += [
        "",
        f"## Actions ({'approved' if form['plan']['approved'] else 'proposed'}: "
        f"{_md(str(form['plan']['title']))})",
        "",
        "| when | action | owner | SOP step |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {_md(a['when'])} | {_md(a['action'])} | {_md(a['owner'] or '')} | "
        f"{_md(a['sop_step'])} |"
        for a in form["actions"]
    ]
    lines += ["", "## Notifications", "", "| within | to | basis |", "|---|---|---|"]
    lines += [
        f"| {_md(n['within'])} | {_md(n['to'])} | {_md(n['basis'] or '')} |"
        for n in form["notifications"]
    ]
    lines += ["", "## Organisation", "", "| ICS position | local role |", "|---|---|"]
    lines += [f"| {_md(o['ics_position'])} | {_md(o['label'])} |" for o in form["organisation"]]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Untrusted text as inert inline Markdown (one line; ``|`` escaped for table cells)."""
    return markdown_inline(text)
