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

from agent.auth.identity import Identity  # noqa: E402
from ui import auth, backend, signin  # noqa: E402
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


MODE_LABELS = {
    "local": "single-user local mode (this machine only, no sign-in)",
    "roster": "signed in with the site roster",
    "oidc": "signed in with the identity provider",
}


def _who(identity: Identity) -> None:
    """Sidebar: who is signed in, as what, and the way out."""
    st.caption(
        f":material/person: **{identity.name}** · role **{identity.role}** · clearance "
        f"**{identity.clearance}** · model **{backend.settings().llm}**  \n"
        f"{MODE_LABELS[identity.source]}"
    )
    if identity.source != "local":
        st.button("Sign out", key=StateKeys.SIGN_OUT, on_click=auth.sign_out)


identity = auth.current()
auth.hand_over()  # a fresh sign-in keeps its session cookie; a sign-out clears it
if identity is None:  # no sign-in, no page but the sign-in page, at every page's address:
    deep_links = [p.url_path for group in PAGES.values() for p in group if p.url_path]
    doors = [  # a bookmark to /log signs in, then shows the log
        st.Page(signin.page, title="Sign in", url_path=path, icon=":material/login:")
        for path in deep_links
    ]
    sign_in = st.Page(signin.page, title="Sign in", icon=":material/login:", default=True)
    st.navigation([sign_in, *doors], position="hidden").run()
    st.stop()
st.session_state[StateKeys.IDENTITY] = identity
nav = st.navigation(PAGES)
with st.sidebar:
    _pick_crisis()
    _who(identity)
nav.run()
