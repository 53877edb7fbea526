"""The crisis room's clocks: header tiles, overdue notifications, the notifications table.

Each part is a Streamlit fragment with ``run_every``: a wall screen nobody touches still
counts down, and shows a notification as done soon after anyone logs it, from any
console or the CLI (the clocks are re-read from the crisis log on every refresh).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from agent.crisis.notices import NoticeClock, overdue
from agent.domain import Suggestion
from agent.errors import CrisisCellError
from agent.pack import Pack
from ui import backend, views
from ui.state import StateKeys

REFRESH = timedelta(seconds=15)
"""How often the clocks re-draw on their own (countdowns are shown to the minute)."""


def _clocks(crisis_id: str, s: Suggestion) -> list[NoticeClock]:
    return backend.notice_clocks(crisis_id, s.notifications, datetime.now().astimezone())


def _mark(crisis_id: str, to: str) -> None:
    """Log ``to`` as notified, then redraw the whole page (tiles, lead and table agree)."""
    try:
        marked = backend.mark_notified(crisis_id, to)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    who = to.replace("_", " ")
    message = (f"{who}: notified, logged as #{marked.entry.id}." if marked.new
               else f"{who} was already logged as notified (#{marked.entry.id}).")
    st.session_state[StateKeys.FLASH] = ("success", message)
    st.rerun()


def _metric(col: st.delta_generator.DeltaGenerator, label: str, value: str, detail: str,
            colour: str = "off") -> None:
    col.metric(label, value, detail, delta_color=colour, delta_arrow="off", border=True)  # type: ignore[arg-type]


@st.fragment(run_every=REFRESH)
def tiles(crisis_id: str, s: Suggestion, pack: Pack, can_mark: bool) -> None:
    """Severity (as a lower bound), T0, elapsed, notifications, compliant scenarios.

    ``can_mark``: the crisis is open and the operator's role may write to its log.
    """
    now = datetime.now().astimezone()
    items = _clocks(crisis_id, s)
    label, _ = views.severity_label(s.severity, pack)
    unknown = bool(s.severity.unknowns)
    cols = st.columns(5)
    _metric(cols[0], "Severity", f">= {s.severity.level}" if unknown else s.severity.level,
            label.split(" · ")[-1])
    t0 = s.event.reported_at
    _metric(cols[1], "T0 (reported)", f"{t0:%H:%M}", f"{t0:%d/%m/%Y}")
    _metric(cols[2], "Elapsed", views.duration(now - t0), "since T0")
    value, detail, colour = views.notices_tile(items)
    _metric(cols[3], "Notifications", value, detail, colour)
    compliant = sum(1 for x in s.scenarios if x.adherence and x.adherence.compliant)
    _metric(cols[4], "Scenarios", f"{compliant} of {len(s.scenarios)}", "SOP-compliant")
    overdue_lead(crisis_id, items, can_mark)


def overdue_lead(crisis_id: str, items: list[NoticeClock], can_mark: bool) -> None:
    """Every overdue notification, in red, with how late it is and a way to mark it done."""
    late = overdue(items)
    if not late:
        return
    with st.container(border=True, key=StateKeys.OVERDUE_LEAD):
        st.markdown(f":red[:material/alarm: **{len(late)} notification"
                    f"{'s' if len(late) > 1 else ''} overdue**] (rules)")
        for c in late:
            row = st.columns([3, 3, 2], vertical_alignment="center")
            basis = f" · {views.short(c.notice.basis, 60)}" if c.notice.basis else ""
            row[0].markdown(f":red[**{views.recipient(c)}**] · {c.notice.sop_id}{basis}")
            row[1].markdown(f":red[**{views.countdown(c)}**] (due {views.clock(c.notice.due_at)})")
            if can_mark and row[2].button(
                "Mark notified", key=f"{StateKeys.NOTIFIED_PREFIX}{c.recipient}",
                icon=":material/done:",
            ):
                _mark(crisis_id, c.recipient)


@st.fragment(run_every=REFRESH)
def notifications(crisis_id: str, s: Suggestion, can_mark: bool) -> None:
    """All notifications by urgency, and (operators) logging any pending one as done."""
    st.markdown("#### Notifications due :gray-badge[:material/rule: Rules]")
    if not s.notifications:
        st.info("No notification is required by the applicable SOPs.")
        return
    items = _clocks(crisis_id, s)
    st.dataframe(views.notifications_frame(items), hide_index=True, width="stretch",
                 column_config={"Legal basis": st.column_config.TextColumn(width="medium")})
    pending = [c.recipient for c in items if c.done is None]
    if not (can_mark and pending):
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        to = st.selectbox("Notified", pending, key=StateKeys.NOTIFIED_PICK,
                          format_func=lambda r: r.replace("_", " "))
        if st.button("Log as notified", key=StateKeys.NOTIFIED_LOG, icon=":material/done:"):
            _mark(crisis_id, str(to))
