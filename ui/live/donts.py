"""The don'ts of the hour: the applied SOPs' forbidden actions, each with its SOP."""

from __future__ import annotations

import streamlit as st

from agent.domain import Dont, Suggestion
from ui import views
from ui.live.badges import origin_md


def _line(d: Dont) -> str:
    basis = f" · _{views.short(d.basis, 80)}_" if d.basis else ""
    return f"- :material/block: {d.text} · **{d.ref}**{basis}"


def donts(s: Suggestion) -> None:
    """Said before any plan, so nobody does them while the plan is being read."""
    if not s.donts:
        return
    with st.container(key="fm_donts"):
        st.error(
            f"**Don'ts of the hour** {origin_md('rules')}\n" + "\n".join(_line(d) for d in s.donts),
            icon=":material/do_not_disturb_on:",
        )
