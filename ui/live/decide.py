"""Taking a decision from the page: run it as the operator, leave a message, redraw."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from agent.crisis.service import CrisisResult, CrisisService
from agent.errors import CrisisCellError
from ui import backend
from ui.live.progress import run_with_progress
from ui.state import StateKeys

Action = Callable[[CrisisService], CrisisResult]


def decide(action: Action, done: str) -> None:
    """A decision that runs no pipeline (approve, reject): say ``done``, or the error."""
    try:
        with backend.acting("decide") as svc:
            result = action(svc)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    st.session_state[StateKeys.LAST_DIFF] = result.diff
    st.session_state.pop(StateKeys.VIOLATIONS, None)
    st.session_state.pop(StateKeys.NO_CHANGE, None)
    st.session_state[StateKeys.FLASH] = ("success", done)
    st.rerun()


def rerun_decision(label: str, action: Action, done: str, nothing: str) -> None:
    """Run an update or regenerate; say ``nothing`` (not ``done``) when nothing changed."""
    result = run_with_progress(label, action)
    if result is None:
        return
    st.session_state[StateKeys.LAST_DIFF] = result.diff
    if result.diff:
        st.session_state.pop(StateKeys.NO_CHANGE, None)
        st.session_state[StateKeys.FLASH] = ("success", done)
    else:
        st.session_state[StateKeys.NO_CHANGE] = (result.crisis.id, nothing)
        st.session_state[StateKeys.FLASH] = ("info", nothing)
    st.rerun()
