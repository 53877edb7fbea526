"""The one-shot message a decision leaves for the next rerun, shown as a toast."""

from __future__ import annotations

import streamlit as st

from ui.state import StateKeys


def flash() -> None:
    """Show and forget :attr:`StateKeys.FLASH` (``(kind, text)``), if any."""
    message = st.session_state.pop(StateKeys.FLASH, None)
    if message:
        kind, text = message
        icon = ":material/check_circle:" if kind == "success" else ":material/info:"
        st.toast(text, icon=icon)
