"""Live crisis: open a crisis from an event, read the ICS-201 view, decide.

The components are in :mod:`ui.live`; this page only picks which to show.
"""

from __future__ import annotations

import streamlit as st

from ui import backend
from ui.deep_link import through_frame
from ui.live.flash import flash
from ui.live.intake import intake
from ui.live.view import crisis_view
from ui.state import StateKeys

through_frame()

pack = backend.pack()
crisis_id = st.session_state.get(StateKeys.CRISIS_ID)
if crisis_id:
    crisis_view(crisis_id, pack)
elif backend.can("decide"):
    flash()
    intake(pack)
else:
    st.title("Live crisis")
    st.info(
        f"You are signed in as **{backend.identity().role}**: pick a crisis in the sidebar "
        "to follow it; opening one is for operators.",
        icon=":material/visibility:",
    )
