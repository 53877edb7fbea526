"""Each scenario's actions against T0: a timeline chart and the steps with their clocks."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from agent.domain import Scenario, Suggestion
from ui import views


def _steps(s: Suggestion, sc: Scenario, now: datetime) -> None:
    frame = views.timeline_frame(s, sc)
    if not frame.empty:
        st.altair_chart(views.timeline_chart(frame), width="stretch")
    st.dataframe(
        views.steps_frame(sc, s.event.reported_at, now),
        hide_index=True,
        width="stretch",
        height=views.table_height(len(sc.steps)),
        column_config={
            "#": st.column_config.NumberColumn(width=40),
            "Deadline": st.column_config.TextColumn(width=70),
            "Action": st.column_config.TextColumn(width="large"),
            "Mandatory": st.column_config.CheckboxColumn(width="small"),
            "Status": st.column_config.TextColumn(
                help="Against the clock: overdue, due in…, or only if triggered"
            ),
        },
    )


def scenario_details(s: Suggestion) -> None:
    """One tab per scenario, all read against the same clock."""
    if not s.scenarios:
        return
    now = datetime.now().astimezone()
    st.subheader("Actions against T0")
    tabs = st.tabs([f"{sc.id}. {sc.title}" for sc in s.scenarios])
    for tab, sc in zip(tabs, s.scenarios, strict=True):
        with tab:
            _steps(s, sc, now)
