"""Presentation helpers: domain objects in, tables, charts and labels out.

Pure functions (no Streamlit calls), so they are unit-tested without a browser.
They reshape what ``agent`` produced; they decide nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, get_args

import altair as alt
import pandas as pd

from agent.briefing import fmt_delta
from agent.crisis.notices import NoticeClock
from agent.domain import (
    AdherenceReport,
    Incident,
    Precedent,
    Scenario,
    ScenarioStep,
    Severity,
    Suggestion,
)
from agent.pack import Pack
from agent.pack.lint import Finding
from agent.pack.models import Sop
from agent.rules.conditions import describe
from ui.backend import LogEntry

Colour = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
"""The colours ``st.badge`` takes."""
BADGE_COLOURS: tuple[Colour, ...] = get_args(Colour)
SEVERITY_FALLBACK: dict[str, Colour] = {
    "S1": "green", "S2": "yellow", "S3": "orange", "S4": "red", "S5": "red"
}
ORIGINS: dict[str, tuple[str, Colour, str]] = {
    "rules": ("Rules", "gray", ":material/rule:"),
    "llm": ("Model", "violet", ":material/smart_toy:"),
    "operator": ("Operator", "blue", ":material/person:"),
}
"""Who produced a part of the suggestion: label, badge colour, icon."""
TIMELINE_TICKS = (0, 5, 10, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080)
"""Axis ticks of timelines, in minutes after T0."""
TICK_LABEL = (
    "datum.value == 0 ? 'T0' : datum.value < 60 ? '+' + datum.value + ' min' : "
    "datum.value < 1440 ? '+' + datum.value / 60 + ' h' : '+' + datum.value / 1440 + ' d'"
)
STEP_SOURCES = {
    "sop": "SOP",
    "notification": "SOP notification",
    "precedent": "Precedent",
    "llm": "Model",
    "operator": "Operator",
}


# --- labels -----------------------------------------------------------------------------


def origin_badge(origin: str) -> tuple[str, Colour, str]:
    """``(label, colour, icon)`` of an origin: Rules, Model or Operator."""
    return ORIGINS.get(origin, (origin.title(), "gray", ":material/help:"))


def severity_badge(level: str, pack: Pack | None = None) -> tuple[str, Colour]:
    """``("S3 · Serious", "orange")`` from the pack's scale."""
    info = next((x for x in pack.scale.levels if x.level == level), None) if pack else None
    colour = info.colour if info and info.colour in BADGE_COLOURS else SEVERITY_FALLBACK[level]
    return (f"{level} · {info.name}" if info else level), colour


def severity_label(severity: Severity, pack: Pack | None = None) -> tuple[str, Colour]:
    """``S3 · Serious`` when every dimension is known; else the lower bound it really is.

    ``>= S1 · 12 dimensions unknown`` is never green: the lowest level with unknowns is
    grey, because nothing says the event is minor, only that nothing known is worse.
    """
    label, colour = severity_badge(severity.level, pack)
    n = len(severity.unknowns)
    if not n:
        return label, colour
    lowest = pack.scale.levels[0].level if pack and pack.scale.levels else "S1"
    dims = "dimension" if n == 1 else "dimensions"
    return f">= {severity.level} · {n} {dims} unknown", (
        "gray" if severity.level == lowest or colour == "green" else colour
    )


def adherence_badge(report: AdherenceReport | None) -> tuple[str, Colour, str]:
    """``(label, colour, icon)`` of a compliance verdict."""
    if report is None:
        return "Not checked", "gray", ":material/help:"
    if report.compliant:
        return "SOP-compliant", "green", ":material/verified:"
    return f"Not compliant ({len(report.violations)})", "red", ":material/gpp_bad:"


def adherence_counts(report: AdherenceReport | None) -> str:
    """``12 followed · 2 conditional · 1 skipped`` (only the non-zero counts)."""
    if report is None:
        return ""
    parts = [
        f"{report.count(status)} {status.replace('_', ' ')}"
        for status in ("followed", "conditional", "deviated", "skipped", "not_applicable")
        if report.count(status)
    ]
    return " · ".join(parts)


def duration(delta: timedelta | None) -> str:
    """``5 min``, ``2 h 30``, ``3 d 4 h``; ``-`` when unknown."""
    if delta is None:
        return "-"
    minutes = int(abs(delta.total_seconds()) // 60)
    sign = "-" if delta.total_seconds() < 0 else ""
    if minutes < 60:
        return f"{sign}{minutes} min"
    if minutes < 48 * 60:
        h, m = divmod(minutes, 60)
        return f"{sign}{h} h" + (f" {m:02d}" if m else "")
    d, rest = divmod(minutes, 1440)
    return f"{sign}{d} d" + (f" {rest // 60} h" if rest // 60 else "")


def clock(at: datetime) -> str:
    """``14/03 08:03`` in the time zone of the event."""
    return f"{at:%d/%m %H:%M}"


def step_cite(step: ScenarioStep) -> str:
    """The SOP step a scenario step comes from, or ``off-SOP``."""
    if step.off_sop or not step.sop_id:
        return "off-SOP"
    return f"{step.sop_id} / {step.step_id}"


def fmt_when(step: ScenarioStep) -> str:
    """``T+5m`` from T0, or ``after S03`` for a step anchored elsewhere."""
    if step.anchor == "T0":
        return fmt_delta(step.deadline).strip()
    return "after " + step.anchor.removeprefix("step:")


def deadline_minutes(step: ScenarioStep) -> float | None:
    """A step's deadline in minutes after its anchor, or None."""
    return None if step.deadline is None else step.deadline.total_seconds() / 60


# --- live crisis tables -----------------------------------------------------------------


def countdown(clock: NoticeClock) -> str:
    """``overdue by 1 h 05``, ``in 22 h 54``, ``if triggered``, ``done 08:40 by alice``."""
    if clock.done is not None:
        return f"done {clock.done.at.astimezone():%H:%M} by {clock.done.author}"
    if clock.state == "conditional":
        return "if triggered"
    if clock.state == "overdue":
        return f"overdue by {duration(-clock.left)}"
    return f"in {duration(clock.left)}"


def recipient(clock: NoticeClock) -> str:
    """``fire rescue`` from ``fire_rescue``."""
    return clock.recipient.replace("_", " ")


def notices_tile(clocks: Sequence[NoticeClock]) -> tuple[str, str, str]:
    """The notifications tile: ``(value, detail, colour)``; overdue ones lead, in red."""
    late = [c for c in clocks if c.state == "overdue"]
    if late:
        return f"{len(late)} overdue", f"{recipient(late[0])}: {countdown(late[0])}", "red"
    due = [c for c in clocks if c.state == "due"]
    if due:
        return countdown(due[0]), recipient(due[0]), "off"
    if any(c.state == "done" for c in clocks):
        return "all done", f"{sum(c.state == 'done' for c in clocks)} notified", "green"
    return "none", "required", "off"


def steps_frame(scenario: Scenario, t0: datetime, now: datetime) -> pd.DataFrame:
    """One row per step: when, what, who, which SOP step, status against the clock."""
    rows = []
    for n, step in enumerate(scenario.steps, 1):
        due = t0 + step.deadline if step.deadline is not None and step.anchor == "T0" else None
        if step.conditional:
            status = "if triggered"
        elif due is None:
            status = "after " + step.anchor
        elif due < now:
            status = "overdue"
        else:
            status = "due in " + duration(due - now)
        rows.append(
            {
                "#": n,
                "Deadline": fmt_delta(step.deadline).strip() if step.anchor == "T0" else "-",
                "Status": status,
                "Action": step.action,
                "Model note": step.note or "",
                "Owner": step.owner or "?",
                "SOP step": step_cite(step),
                "Mandatory": step.mandatory,
                "From": STEP_SOURCES.get(step.source, step.source),
                "Type": str(step.action_type),
                "Due at": clock(due) if due else "-",
            }
        )
    return pd.DataFrame(rows)


def editor_frame(scenario: Scenario) -> pd.DataFrame:
    """The editable view of a scenario: owner, deadline (minutes) and action per step."""
    return pd.DataFrame(
        [
            {
                "#": n,
                "SOP step": step_cite(step),
                "Action": step.action,
                "Owner": step.owner or "",
                "Deadline (min)": deadline_minutes(step),
                "Mandatory": step.mandatory,
            }
            for n, step in enumerate(scenario.steps, 1)
        ]
    )


def scenario_from_editor(scenario: Scenario, edited: pd.DataFrame) -> Scenario:
    """The scenario as the operator edited it: steps removed, re-owned, re-timed, re-worded."""
    steps: list[ScenarioStep] = []
    for row in edited.to_dict("records"):
        original = scenario.steps[int(row["#"]) - 1]
        minutes = row.get("Deadline (min)")
        deadline = (
            None
            if minutes is None or (isinstance(minutes, float) and math.isnan(minutes))
            else timedelta(minutes=float(minutes))
        )
        owner = str(row.get("Owner") or "").strip() or None
        action = str(row.get("Action") or "").strip() or original.action
        steps.append(
            original.model_copy(update={"owner": owner, "deadline": deadline, "action": action})
        )
    if steps == scenario.steps:
        return scenario
    return scenario.model_copy(update={"steps": steps, "origin": "operator", "adherence": None})


def scenario_edited(scenario: Scenario, edited: pd.DataFrame) -> bool:
    """True when the operator changed anything in the editor."""
    return scenario_from_editor(scenario, edited) is not scenario


def timeline_frame(suggestion: Suggestion, scenario: Scenario) -> pd.DataFrame:
    """Steps and notifications of one scenario on a common axis: minutes after T0."""
    rows = []
    for n, step in enumerate(scenario.steps, 1):
        if step.deadline is None or step.anchor != "T0":
            continue
        rows.append(
            {
                "minutes": step.deadline.total_seconds() / 60,
                "label": f"{n}. {short(step.action, 60)}",
                "order": n,
                "owner": step.owner or "?",
                "kind": "conditional step"
                if step.conditional
                else ("mandatory step" if step.mandatory else "step"),
                "when": fmt_delta(step.deadline).strip(),
                "cite": step_cite(step),
                "action": step.action,
            }
        )
    return pd.DataFrame(rows)


def timeline_chart(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Each step as a bar from T0 to its deadline, coloured by owner; conditional steps grey."""
    data = frame.assign(start=0.0)
    max_minutes = float(data["minutes"].max()) if not data.empty else 60.0
    x_scale = alt.Scale(type="symlog", constant=5, domain=[0, max(max_minutes, 10.0)])
    ticks = [t for t in TIMELINE_TICKS if t <= max(max_minutes, 10.0) * 1.05]
    x_axis = alt.Axis(values=ticks, labelExpr=TICK_LABEL, grid=True, title="Deadline after T0")
    base = alt.Chart(data).encode(
        y=alt.Y(
            "label:N",
            sort=alt.SortField("order"),
            title=None,
            axis=alt.Axis(labelLimit=380, labelOverlap=False),
        ),
        tooltip=[
            alt.Tooltip("when:N", title="Deadline"),
            alt.Tooltip("owner:N", title="Owner"),
            alt.Tooltip("cite:N", title="SOP step"),
            alt.Tooltip("kind:N", title="Kind"),
            alt.Tooltip("action:N", title="Action"),
        ],
    )
    owner = alt.Color("owner:N", title="Owner", scale=alt.Scale(scheme="tableau10"))
    colour = alt.condition(alt.datum.kind == "conditional step", alt.value("#b0b0b0"), owner)
    bars = base.mark_bar(height=6, opacity=0.4).encode(
        x=alt.X("start:Q", scale=x_scale, axis=x_axis),
        x2="minutes:Q",
        color=colour,
    )
    points = base.mark_point(filled=True, size=90).encode(
        x=alt.X("minutes:Q", scale=x_scale),
        color=colour,
        shape=alt.Shape(
            "kind:N",
            title="Step",
            scale=alt.Scale(
                domain=["mandatory step", "step", "conditional step"],
                range=["diamond", "circle", "triangle"],
            ),
        ),
    )
    height = max(160, 24 * len(data))
    return alt.layer(bars, points).properties(height=height)


def notifications_frame(clocks: Sequence[NoticeClock]) -> pd.DataFrame:
    """Notifications by urgency: overdue first, with the countdown, then due, then done."""
    rows = [
        {
            "To": recipient(c),
            "Status": countdown(c),
            "Within": fmt_delta(c.notice.within).strip(),
            "Due at": clock(c.notice.due_at),
            "Required": "if triggered"
            if c.notice.conditional
            else ("mandatory" if c.notice.mandatory else "recommended"),
            "Legal basis": c.notice.basis or "",
        }
        for c in clocks
    ]
    columns = ["To", "Status", "Within", "Due at", "Required", "Legal basis"]
    return pd.DataFrame(rows, columns=columns)


def precedents_frame(items: Sequence[Precedent]) -> pd.DataFrame:
    """Similar past incidents: score, year, title, outcome."""
    return pd.DataFrame(
        [
            {
                "Similarity": round(p.score, 2),
                "Year": p.occurred_at.year,
                "Incident": p.title,
                "Category": p.category,
                "Resolution": p.resolution,
                "Outcome": p.outcome,
                "Id": p.id,
            }
            for p in items
        ]
    )


def table_height(rows: int, cap: int = 24) -> int:
    """Pixel height that shows ``rows`` rows (at most ``cap``) of a dataframe without scrolling."""
    return 38 + 35 * max(1, min(rows, cap))


def short(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- crisis log -------------------------------------------------------------------------


def log_frame(items: Sequence[LogEntry]) -> pd.DataFrame:
    """The crisis log as a table, oldest first."""
    return pd.DataFrame(
        [
            {
                "#": e.id,
                "Time": e.at,
                "Kind": e.kind,
                "Author": e.author,
                "Entry": e.summary,
                "Rationale": e.rationale or "",
                "Corrects": e.corrects,
                "Run": e.run_id or "",
            }
            for e in items
        ],
        columns=["#", "Time", "Kind", "Author", "Entry", "Rationale", "Corrects", "Run"],
    )


def rejection(items: Sequence[LogEntry]) -> LogEntry | None:
    """The latest decision, if it rejected the scenarios (so the page can say so)."""
    decisions = [e for e in items if e.kind in ("decision", "close")]
    last = decisions[-1] if decisions else None
    return last if last is not None and last.payload.get("kind") == "reject" else None


# --- history ----------------------------------------------------------------------------


def incidents_frame(items: Sequence[Incident]) -> pd.DataFrame:
    """Archive search results."""
    return pd.DataFrame(
        [
            {
                "Date": i.occurred_at.date(),
                "Id": i.id,
                "Title": i.title,
                "Category": i.category,
                "Severity": i.severity,
                "Site": i.site or i.location or "",
                "Outcome": short(i.outcome, 120),
            }
            for i in items
        ],
        columns=["Date", "Id", "Title", "Category", "Severity", "Site", "Outcome"],
    )


def actions_frame(incident: Incident) -> pd.DataFrame:
    """What was done in a past incident, in order, with the time after T0 when known."""
    return pd.DataFrame(
        [
            {
                "#": n,
                "When": fmt_delta(a.at).strip() if a.at is not None else "-",
                "Action": a.text,
                "Type": str(a.action_type) if a.action_type else "",
            }
            for n, a in enumerate(incident.actions, 1)
        ],
        columns=["#", "When", "Action", "Type"],
    )


# --- SOP library ------------------------------------------------------------------------


def sop_family(sop: Sop) -> str:
    """``IND`` for ``SOP-IND-TOX-001``."""
    return sop.id.split("-")[1]


def sop_status(sop: Sop, today: date) -> tuple[str, Colour]:
    """``(label, colour)``: an approved SOP past its ``review_by`` date is not shown as approved."""
    if sop.review_by is not None and sop.review_by < today:
        return f"review overdue (since {sop.review_by})", "red"
    return sop.status, "green" if sop.status == "approved" else "orange"


def sops_frame(sops: Sequence[Sop], today: date | None = None) -> pd.DataFrame:
    """SOPs at a glance (status as of ``today``: past review is flagged)."""
    day = today or date.today()
    return pd.DataFrame(
        [
            {
                "Id": s.id,
                "Title": s.title,
                "Version": s.version,
                "Status": sop_status(s, day)[0],
                "Applies to": ", ".join(s.applies_to.categories),
                "Steps": len(s.steps),
                "Notifications": len(s.notifications),
            }
            for s in sops
        ],
        columns=["Id", "Title", "Version", "Status", "Applies to", "Steps", "Notifications"],
    )


def role_label(sop: Sop, owner: str) -> str:
    """``COI (incident commander)`` from the SOP's roles."""
    role = sop.roles.get(owner)
    if role is None:
        return owner
    return f"{role.label or owner} ({role.ics.replace('_', ' ')})"


def sop_steps_frame(sop: Sop) -> pd.DataFrame:
    """An SOP's steps in order: phase, deadline, owner, condition, dependencies."""
    return pd.DataFrame(
        [
            {
                "Step": s.id,
                "Phase": s.phase,
                "Deadline": (
                    fmt_delta(s.deadline).strip()
                    if s.anchor == "T0"
                    else f"{fmt_delta(s.deadline).strip()} after {s.anchor}"
                ),
                "Action": sop.render(s.action),
                "Owner": role_label(sop, s.owner),
                "Mandatory": s.mandatory,
                "Only if": describe(s.when) if s.when else "",
                "After": ", ".join(s.depends_on),
                "Repeat": duration(s.repeat_every) if s.repeat_every else "",
            }
            for s in sop.steps
        ]
    )


def sop_timeline_frame(sop: Sop) -> pd.DataFrame:
    """Steps with a deadline from T0, for the timeline chart."""
    rows = []
    for n, s in enumerate(sop.steps, 1):
        if s.deadline is None or s.anchor != "T0":
            continue
        rows.append(
            {
                "minutes": s.deadline.total_seconds() / 60,
                "label": f"{s.id}. {short(sop.render(s.action), 60)}",
                "order": n,
                "owner": s.owner,
                "kind": "conditional step"
                if s.when
                else ("mandatory step" if s.mandatory else "step"),
                "when": fmt_delta(s.deadline).strip(),
                "cite": f"{sop.id} / {s.id}",
                "action": sop.render(s.action),
            }
        )
    return pd.DataFrame(rows)


def sop_notifications_frame(sop: Sop) -> pd.DataFrame:
    """An SOP's notifications with their clocks."""
    return pd.DataFrame(
        [
            {
                "To": n.to.replace("_", " "),
                "Within": fmt_delta(n.within).strip(),
                "Mandatory": n.mandatory,
                "Only if": describe(n.when) if n.when else "",
                "Legal basis": n.basis or "",
            }
            for n in sorted(sop.notifications, key=lambda n: n.within)
        ],
        columns=["To", "Within", "Mandatory", "Only if", "Legal basis"],
    )


def findings_frame(findings: Sequence[Finding]) -> pd.DataFrame:
    """Lint findings by line."""
    return pd.DataFrame(
        [
            {"Line": f.line, "Key": f.key, "Problem": f.message, "Code": f.code}
            for f in sorted(findings, key=lambda f: (f.line, f.key))
        ],
        columns=["Line", "Key", "Problem", "Code"],
    )


# --- evaluations ------------------------------------------------------------------------


def runs_frame(runs: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Stored eval runs, newest first."""
    return pd.DataFrame(
        [
            {
                "Run": r.get("run_id"),
                "Suite": r.get("suite"),
                "Model": r.get("model"),
                "When": r.get("created_at"),
                "Cases": r.get("cases"),
                "Category (family)": r.get("category_family_accuracy"),
                "Precedent hit@5": r.get("precedent_hit_at_5"),
                "SOP compliance": r.get("sop_compliance_rate"),
                "Forbidden": r.get("forbidden_action_rate"),
            }
            for r in runs
        ]
    )


def metrics_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """Headline metrics of a run with their 95 % intervals."""
    rows = []
    for metric, est in (summary.get("intervals") or {}).items():
        rows.append(
            {
                "Metric": metric,
                "Value": est.get("value"),
                "Low": est.get("low"),
                "High": est.get("high"),
                "n": est.get("n"),
            }
        )
    return pd.DataFrame(rows, columns=["Metric", "Value", "Low", "High", "n"])


def cases_frame(results: Sequence[Any]) -> pd.DataFrame:
    """Per-case results of a run: score, expected vs final category and severity, metrics."""
    rows = []
    for r in results:
        final = r.steps[-1] if r.steps else None
        rows.append(
            {
                "Case": r.name,
                "Repeat": r.repeat,
                "Score": r.score,
                "Expected category": r.expected_category,
                "Got category": final.category if final else None,
                "Expected severity": r.expected_severity,
                "Got severity": final.severity if final else None,
                "Compliant": final.compliant if final else None,
                "Degraded": final.degraded if final else None,
                **{k: v for k, v in r.metrics.items() if isinstance(v, bool | float | int)},
            }
        )
    return pd.DataFrame(rows)


def deltas_chart(deltas: Sequence[dict[str, Any]]) -> alt.LayerChart | alt.FacetChart:
    """B - A per metric with its bootstrap interval."""
    data = pd.DataFrame([d for d in deltas if d.get("delta") is not None])
    if data.empty:
        data = pd.DataFrame(columns=["metric", "delta", "low", "high"])
    base = alt.Chart(data).encode(y=alt.Y("metric:N", title=None, axis=alt.Axis(labelLimit=320)))
    rule = base.mark_rule().encode(x=alt.X("low:Q", title="B - A (95 % interval)"), x2="high:Q")
    point = base.mark_point(filled=True, size=80).encode(
        x="delta:Q",
        color=alt.condition(alt.datum.delta >= 0, alt.value("#2e7d32"), alt.value("#c62828")),
        tooltip=["metric", "delta", "low", "high", "paired"] if "paired" in data else ["metric"],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    return alt.layer(rule, point, zero).properties(height=max(160, 26 * len(data)))
