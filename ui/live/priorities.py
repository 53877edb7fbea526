"""Priorities first: the lead scenario's time boxes (now, 10 min, 30 min, later), with clocks.

The boxes come from the suggestion (``Scenario.priorities``, see agent.rules.priorities);
"later" is the rest of the plan, pointed to rather than repeated. Notification clocks are
re-read from the crisis log on every refresh, like the header tiles.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from agent.briefing import fmt_delta
from agent.crisis.notices import NoticeClock
from agent.crisis.service import CrisisResult
from agent.domain import Priority, Scenario, Suggestion
from agent.rules.priorities import window_of, with_priorities
from ui import backend, clocks, views
from ui.live.badges import origin_md

BOXES = (
    ("now", "Now", "within 5 min"),
    ("10 min", "10 min", "by T+10m"),
    ("30 min", "30 min", "by T+30m"),
)
"""Each time box: its value in ``Priority.window``, its heading, its limit."""
CLOCK_COLOURS = {"overdue": "red", "due": "orange", "conditional": "gray", "done": "green"}
SLOW = timedelta(minutes=30)
"""Past this, a step in the "now" box is the first step due, not something due now."""
LATER_SHOWN = 3
"""How many of the later steps are named; the rest are in the full plan."""


def lead_scenario(result: CrisisResult, s: Suggestion) -> Scenario | None:
    """The plan approved on this run, else the first scenario (as the text briefing leads).

    An approval stores its scenario without the time boxes (and an edited one has new
    steps), so they are drawn again from its steps by the same rule as the suggestion's.
    """
    a = result.approval
    if a is not None and a.run_id == s.lineage.run_id:
        return a.scenario if a.scenario.priorities else with_priorities(a.scenario)
    return s.scenarios[0] if s.scenarios else None


def _recipients(p: Priority) -> list[str]:
    """The notifications a priority carries out: its own and the ones merged into it."""
    ids = [p.step_id or ""] if p.notification else []
    ids += [c.step_id for c in p.also_cites]
    return [i.removeprefix("notify.") for i in ids if i.startswith("notify.")]


def _clock_line(p: Priority, items: dict[str, NoticeClock]) -> str:
    parts = []
    for to in _recipients(p):
        c = items.get(to)
        if c is not None:
            colour = CLOCK_COLOURS[c.state]
            parts.append(f":{colour}[:material/timer: {views.recipient(c)}: {views.countdown(c)}]")
    return "  \n" + " · ".join(parts) if parts else ""


def _item(p: Priority, t0: datetime, items: dict[str, NoticeClock]) -> str:
    """``T+2m by 15:16 · action · owner · SOP/step``, mandatory marked, clock under it."""
    when = fmt_delta(p.deadline).strip()
    due = f" **by {t0 + p.deadline:%H:%M}**" if p.deadline is not None else ""
    cite = f"{p.sop_id}/{p.step_id}" if p.sop_id else "off-SOP"
    cite += f" +{len(p.also_cites)} merged" if p.also_cites else ""
    must = " · :red-badge[mandatory]" if p.mandatory else ""
    line = f"- `{when}`{due} · {p.action} · _{p.owner or '?'}_ · :gray[{cite}]{must}"
    return line + _clock_line(p, items)


def _later(sc: Scenario) -> str:
    """What waits: the next clocked steps after 30 min, and how many wait for a trigger."""
    boxed = {(p.sop_id, p.step_id, p.action) for p in sc.priorities}
    rest = [
        x for x in sc.steps if window_of(x) is None and (x.sop_id, x.step_id, x.action) not in boxed
    ]
    clocked = [x for x in rest if not x.conditional and x.anchor == "T0" and x.deadline]
    clocked.sort(key=lambda x: x.deadline or timedelta())
    lines = [
        f"- `{views.fmt_when(x)}` {views.short(x.action, 70)} · _{x.owner or '?'}_"
        for x in clocked[:LATER_SHOWN]
    ]
    waiting = sum(1 for x in rest if x.conditional or x.anchor != "T0")
    more = len(clocked) - LATER_SHOWN
    lines += [f"- and {more} more clocked steps"] if more > 0 else []
    lines += [f"- {waiting} steps wait for their trigger or an earlier step"] if waiting else []
    return "\n".join(lines or ["- nothing else in this plan"])


def _limit(limit: str, boxed: list[Priority]) -> str:
    """A slow hazard's first step (due after 30 min) opens the "now" box: say so."""
    late = [p.deadline for p in boxed if p.deadline and p.deadline > SLOW]
    return "nothing is due sooner: the first step due" if late else limit


def _box(heading: str, limit: str, lines: list[str]) -> None:
    st.markdown(f"**{heading}** · {limit}\n" + "\n".join(lines or ["- nothing due"]))


@st.fragment(run_every=clocks.REFRESH)
def priorities(crisis_id: str, sc: Scenario, s: Suggestion) -> None:
    """The time boxes side by side, read left to right; the full plan is further down."""
    if not sc.priorities:
        return
    now = datetime.now().astimezone()
    items = {c.recipient: c for c in backend.notice_clocks(crisis_id, s.notifications, now)}
    t0 = s.event.reported_at
    with st.container(key="fm_priorities"):
        st.markdown(f"#### Priorities: the first 30 minutes {origin_md('rules')}")
        st.caption(
            f"Scenario {sc.id}. {sc.title}: its first steps by time box, each with its "
            "owner and SOP step; the full plans follow below."
        )
        cols = st.columns([2, 2, 3, 2], gap="medium")
        for col, (window, heading, limit) in zip(cols, BOXES, strict=False):
            with col:
                boxed = [p for p in sc.priorities if p.window == window]
                _box(heading, _limit(limit, boxed), [_item(p, t0, items) for p in boxed])
        with cols[3]:
            _box("Later", "after T+30m", _later(sc).splitlines())
