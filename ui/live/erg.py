"""ERG isolation and protective-action distances, with their source, when a UN number is known."""

from __future__ import annotations

import streamlit as st

from agent.domain import ProtectiveDistances, Suggestion
from ui.live.badges import origin_md


def _lines(d: ProtectiveDistances) -> list[str]:
    """Small spill, large spill (by container when Table 3 gives it), what water does."""
    lines = [
        f"- **Small spill**: {d.small_spill or 'not in the table'}",
        f"- **Large spill**: {d.large_spill or 'not in the table'}",
    ]
    lines += [f"    - {c}" for c in d.large_spill_by_container]
    if d.water_reactive:
        lines.append(f"- :red[**In water**: {d.water_reactive}]")
    return lines


def _missing(s: Suggestion) -> None:
    """A UN number but no imported table: say so, rather than show nothing."""
    un = s.facts.get("substance.un")
    if un is None:
        return
    st.caption(
        f":material/straighten: UN {un} read from the report: no ERG distances, because no ERG "
        "table is imported here (`crisiscell erg import PATH`, from your own copy)."
    )


def erg_distances(s: Suggestion) -> None:
    """The distances block; nothing for an event without a dangerous substance."""
    d = s.life_safety.distances if s.life_safety else None
    if d is None:
        _missing(s)
        return
    guide = f" · guide {d.guide}" if d.guide else ""
    with st.container(border=True, key="fm_erg"):
        st.markdown(
            f"**ERG protective distances** {origin_md('rules')} · **UN {d.un}** "
            f"{d.material}{guide}\n" + "\n".join(_lines(d))
        )
        if d.unknowns:
            st.caption("Pick the line by: " + "; ".join(d.unknowns))
        st.caption(f"Source: {d.source}")
