"""History: search the incident archive, open an incident to read what was done."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import streamlit as st

from agent.errors import CrisisCellError
from ui import backend, views
from ui.deep_link import through_frame
from ui.state import StateKeys

through_frame()

st.title("History")
st.caption("Past incidents: what happened, what was done, in which order, and how it ended.")

pack = backend.pack()
families = {f.code: f.label for f in pack.taxonomy.families}
try:
    sites = backend.archive_sites()
except CrisisCellError as exc:
    st.error(str(exc))
    st.stop()

c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
family = c1.selectbox(
    "Family",
    [None, *families],
    key=StateKeys.HIST_FAMILY,
    format_func=lambda f: "all families" if f is None else f"{f} · {families[f]}",
)
site = c2.selectbox(
    "Site",
    [None, *sites],
    key=StateKeys.HIST_SITE,
    format_func=lambda s: "all sites" if s is None else s,
)
period = c3.date_input(
    "Period",
    value=[],
    key=StateKeys.HIST_PERIOD,
    min_value=date(1900, 1, 1),
    max_value=date.today(),
    help="Pick a start and an end date; leave empty for all time.",
)
text = c4.text_input("Words", key=StateKeys.HIST_TEXT, placeholder="e.g. ammonia valve")

since = until = None
if isinstance(period, tuple | list) and len(period) >= 1:
    since = datetime.combine(period[0], time.min, tzinfo=UTC)
    if len(period) == 2:
        until = datetime.combine(period[1], time.max, tzinfo=UTC)

visible, hidden = backend.search_incidents(
    family=family, site=site, since=since, until=until, text=text or None
)
st.caption(
    f"{len(visible)} incidents" + (f" ({hidden} hidden by your clearance)" if hidden else "")
)
table = st.dataframe(
    views.incidents_frame(visible),
    hide_index=True,
    width="stretch",
    key=StateKeys.HIST_TABLE,
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "Title": st.column_config.TextColumn(width="large"),
        "Outcome": st.column_config.TextColumn(width="large"),
    },
)

if not visible:
    st.info("No incident matches these filters.")
    st.stop()

titles = {i.id: f"{i.occurred_at:%Y-%m-%d} · {i.title}" for i in visible}
rows = table.selection.rows if table is not None and hasattr(table, "selection") else []
picked = st.selectbox(
    "Open an incident (or click a row)",
    [None, *titles],
    key=StateKeys.HIST_OPEN,
    format_func=lambda x: "— choose —" if x is None else titles[x],
)
if picked is None and rows and rows[0] < len(visible):
    picked = visible[rows[0]].id
if picked:
    inc = backend.incident(picked)
    if inc is None:
        st.error(f"incident {picked} is no longer in the archive")
        st.stop()
    with st.container(border=True):
        st.subheader(inc.title)
        with st.container(horizontal=True, gap="small"):
            label, colour = views.severity_badge(inc.severity, pack)
            st.badge(label, color=colour)
            st.badge(inc.category, color="blue")
            for code in inc.secondary:
                st.badge(code, color="gray")
        st.caption(
            f"{inc.id} · {inc.occurred_at:%d/%m/%Y %H:%M} · "
            f"{inc.site or inc.location or 'unknown place'} · source: {inc.source}"
        )
        st.markdown(inc.summary)
        st.markdown("**Actions, in order**")
        st.dataframe(
            views.actions_frame(inc),
            hide_index=True,
            width="stretch",
            column_config={"Action": st.column_config.TextColumn(width="large")},
        )
        left, right = st.columns(2)
        left.markdown(f"**Resolution**\n\n{inc.resolution}")
        right.markdown(f"**Outcome**\n\n{inc.outcome}")
        if inc.lessons:
            st.markdown("**Lessons**\n" + "\n".join(f"- {x}" for x in inc.lessons))
