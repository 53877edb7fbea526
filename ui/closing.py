"""Ending and easing a crisis from the console: de-escalate and close, as in the CLI.

Both are logged decisions of the signed-in operator (the service writes them to the
crisis log); severity only comes down by this explicit step, never silently.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from agent.crisis.service import CrisisResult, CrisisService
from agent.domain import Suggestion
from agent.errors import CrisisCellError
from ui import backend
from ui.state import StateKeys

LEVELS = ("S1", "S2", "S3", "S4", "S5")


def _run(
    action: Callable[[CrisisService], CrisisResult], done: Callable[[CrisisResult], str]
) -> None:
    """Take one decision as the signed-in operator, then redraw with what it says."""
    try:
        with st.spinner("Logging the decision…"), backend.acting("decide") as svc:
            result = action(svc)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    st.session_state[StateKeys.LAST_DIFF] = result.diff
    st.session_state.pop(StateKeys.NO_CHANGE, None)
    st.session_state[StateKeys.FLASH] = ("success", done(result))
    st.rerun()


def deescalate(crisis_id: str, s: Suggestion, can_decide: bool) -> None:
    """Lower the severity floor to a chosen level, with a reason (logged)."""
    lower = [lv for lv in LEVELS if lv < s.severity.level]
    st.markdown("**De-escalate**")
    to = st.selectbox("To level", lower or ["-"], key=StateKeys.DEESCALATE_TO,
                      disabled=not lower)
    reason = st.text_input("Why it may come down", key=StateKeys.DEESCALATE_REASON,
                           placeholder="e.g. casualties discharged")
    if st.button("De-escalate", key=StateKeys.DEESCALATE, icon=":material/trending_down:",
                 disabled=not (can_decide and lower)):
        _run(lambda svc: svc.deescalate(crisis_id, to_level=str(to), reason=reason or "",
                                        author=backend.operator()),
             lambda r: f"De-escalated to {to}; the decision is logged.")


def close(crisis_id: str, can_decide: bool) -> None:
    """Close the crisis: it becomes a historical incident that the next event can find."""
    st.markdown("**Close the crisis**")
    resolution = st.text_input("Resolution", key=StateKeys.CLOSE_RESOLUTION,
                               placeholder="e.g. valves closed, plume dissipated")
    outcome = st.text_input("Outcome", key=StateKeys.CLOSE_OUTCOME,
                            placeholder="e.g. 2 treated on site, no off-site effect")
    if st.button("Close the crisis", key=StateKeys.CLOSE, icon=":material/lock:",
                 disabled=not can_decide):
        _run(lambda svc: svc.close(crisis_id, resolution=resolution or "", outcome=outcome or "",
                                   author=backend.operator()),
             lambda r: f"Crisis closed; archived as {r.crisis.incident_id}.")


def section(crisis_id: str, s: Suggestion, can_decide: bool) -> None:
    """De-escalate and close, side by side."""
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True, height="stretch"):
        deescalate(crisis_id, s, can_decide)
    with right, st.container(border=True, height="stretch"):
        close(crisis_id, can_decide)
