"""What ``crisiscell ui`` serves: the console (``ui/app.py``) with its session routes.

``streamlit run ui/server.py`` finds this ASGI app and runs it; ``streamlit run
ui/app.py`` still works, but then a roster sign-in lasts only until the page reloads
(there is no route to set the session cookie).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui.session_routes import ROUTES  # noqa: E402

app = st.App(Path(__file__).with_name("app.py"), routes=ROUTES)
