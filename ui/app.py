"""The crisiscell operator console: the frame and router (``streamlit run ui/app.py``).

Pages in ``ui/pages/`` render and call ``agent`` through :mod:`ui.backend`; every
session key is in :class:`ui.state.StateKeys`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import backend  # noqa: E402
from ui.state import StateKeys  # noqa: E402

NEW = "__new__"

st.set_page_config(page_title="crisiscell console", page_icon=":material/emergency:", layout="wide")

PAGES = {
    "Crisis room": [
        st.Page("pages/live.py", title="Live crisis", icon=":material/emergency:", default=True),
        st.Page("pages/log.py", title="Crisis log", icon=":material/history_edu:"),
    ],
    "Knowledge": [
        st.Page("pages/history.py", title="History", icon=":material/manage_search:"),
        st.Page("pages/sops.py", title="SOP library", icon=":material/menu_book:"),
    ],
    "System": [
        st.Page("pages/evaluations.py", title="Evaluations", icon=":material/monitoring:"),
        st.Page("pages/settings.py", title="Settings & status", icon=":material/settings:"),
    ],
}


def _pick_crisis() -> None:
    """Sidebar: which crisis the Live and Log pages show (shared by every page)."""
    crises = backend.crises()
    ids = [c.id for c in crises]
    titles = {c.id: f"{c.id} · {c.status} · {c.title}" for c in crises}
    current = st.session_state.get(StateKeys.CRISIS_ID)
    if current not in ids:
        current = None
        st.session_state[StateKeys.CRISIS_ID] = None
    st.session_state[StateKeys.CRISIS_PICK] = current or NEW

    def _changed() -> None:
        picked = st.session_state[StateKeys.CRISIS_PICK]
        st.session_state[StateKeys.CRISIS_ID] = None if picked == NEW else picked
        st.session_state.pop(StateKeys.VIOLATIONS, None)
        st.session_state.pop(StateKeys.LAST_DIFF, None)
        st.session_state.pop(StateKeys.PROGRESS, None)

    st.selectbox(
        "Active crisis",
        [NEW, *ids],
        format_func=lambda x: "+ New crisis" if x == NEW else titles[x],
        key=StateKeys.CRISIS_PICK,
        on_change=_changed,
        help="The crisis shown on the Live crisis and Crisis log pages.",
    )


nav = st.navigation(PAGES)
with st.sidebar:
    _pick_crisis()
    st.caption(
        f":material/person: **{backend.operator()}** · clearance **{backend.clearance()}** · "
        f"model **{backend.settings().llm}**"
    )
nav.run()
