"""Evacuate or shelter in place: the first thing the operator reads, with why and from what."""

from __future__ import annotations

import streamlit as st

from agent.domain import LifeSafety, Suggestion
from ui.live.badges import origin_md

HEADLINES = {
    "evacuate": ("EVACUATE", ":material/directions_run:"),
    "shelter_in_place": ("SHELTER IN PLACE", ":material/home:"),
    "undecided": ("NOT DECIDED YET", ":material/help:"),
}
"""Each decision as the operator reads it out loud, and its icon."""


def _body(ls: LifeSafety) -> str:
    """The reason, the other course and when it applies, the order and the facts behind it."""
    headline, _ = HEADLINES[ls.decision]
    lines = [f"**Life safety: {headline}** {origin_md('rules')}", "", ls.reason]
    if ls.otherwise:
        lines.append(f"- **Otherwise**: {ls.otherwise}")
    if ls.order:
        lines.append(f"- **Order read in the report**: “{ls.order}”")
    if ls.basis:
        lines.append("- **From the facts**: " + "; ".join(ls.basis))
    lines += [f"- **Not known yet**: {u}" for u in ls.unknowns]
    return "\n".join(lines)


def life_safety(s: Suggestion) -> None:
    """The decision as a coloured callout; a quiet line when no one is at physical risk."""
    ls = s.life_safety
    if ls is None:
        return
    if ls.decision == "not_applicable":
        st.caption(f":material/shield: **Life safety: not applicable** · {ls.reason}")
        return
    _, icon = HEADLINES[ls.decision]
    show = st.error if ls.decision == "evacuate" else st.warning
    with st.container(key="fm_life_safety"):
        show(_body(ls), icon=icon)
        if ls.conflicts:
            st.error(
                "**The scenarios disagree on who goes and who stays**\n"
                + "\n".join(f"- {c}" for c in ls.conflicts),
                icon=":material/warning:",
            )
