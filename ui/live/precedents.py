"""Similar past incidents, best first, or an honest "no precedent"."""

from __future__ import annotations

import streamlit as st

from agent.domain import Suggestion
from ui.live.badges import origin_md


def precedents(s: Suggestion) -> None:
    """The precedents the suggestion cites; the best one open."""
    st.markdown(f"#### Similar past incidents {origin_md('rules')}")
    if s.no_precedent or not s.precedents:
        st.info(
            "**No precedent**: nothing in the archive is similar enough. Rely on the SOPs.",
            icon=":material/search_off:",
        )
        return
    for n, p in enumerate(s.precedents):
        with st.expander(
            f"{p.title} ({p.occurred_at:%Y}) · similarity {p.score:.2f}", expanded=n == 0
        ):
            st.markdown(f"**Resolution**: {p.resolution}")
            st.markdown(f"**Outcome**: {p.outcome}")
            if p.lessons:
                st.markdown("**Lessons**\n" + "\n".join(f"- {x}" for x in p.lessons))
            st.caption(f"{p.id} · {p.category} · " + "; ".join(p.why))
