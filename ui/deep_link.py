"""A page reached without the frame runs the frame first (a deep link to a fresh server).

The first request a fresh server gets may be a bookmark such as ``/log``. Streamlit then
takes ``ui/pages/`` for a v1 pages folder and runs the page alone: no sign-in, no
sidebar. Every page calls :func:`through_frame` before it draws anything; the frame
(``ui/app.py``) signs in, builds the navigation and routes back to the page.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

FRAME = Path(__file__).resolve().parent / "app.py"


def through_frame() -> None:
    """Run the frame instead of the page when the page was run alone; else do nothing."""
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False  # ui/pages/ is not a v1 pages folder
    runpy.run_path(str(FRAME))  # the frame routes back to this page and renders it
    st.stop()
