"""The top of a crisis (ICS-201 block 1): title and status badges; then clocks, why this level.

The first-minutes block (:mod:`ui.live.first_minutes`) sits between the two.
"""

from __future__ import annotations

import streamlit as st

from agent.crisis.service import CrisisResult
from agent.domain import Suggestion
from agent.pack import Pack
from ui import backend, clocks, views
from ui.live.badges import origin_md
from ui.state import StateKeys


def _title(crisis: backend.Crisis, s: Suggestion, pack: Pack) -> None:
    """The title, a way back to the intake form, and where the crisis comes from."""
    top = st.columns([6, 1], vertical_alignment="center")
    top[0].header(views.short(crisis.title, 60), anchor=False)
    if top[1].button("New crisis", key=StateKeys.NEW_CRISIS, icon=":material/add:"):
        st.session_state[StateKeys.CRISIS_ID] = None
        st.session_state.pop(StateKeys.PROGRESS, None)
        st.rerun()
    site = next((x for x in pack.sites.sites if x.id == s.event.site), None)
    st.caption(
        f"**{crisis.id}** · site {s.event.site or 'unspecified'}"
        + (f" ({site.name})" if site else "")
        + f" · opened by {crisis.opened_by} · clearance {crisis.clearance} · run "
        f"{s.lineage.run_id}"
    )


def _status(crisis: backend.Crisis, s: Suggestion, result: CrisisResult, pack: Pack) -> None:
    """Severity, category, and where the decision stands, as a row of badges."""
    label, colour = views.severity_label(s.severity, pack)
    with st.container(horizontal=True, gap="small"):
        st.badge(
            label + (" · reportable" if s.severity.reportable else ""),
            color=colour,
            icon=":material/help:" if s.severity.unknowns else ":material/warning:",
        )
        st.badge(
            f"{s.category.code} ({s.category.confidence:.0%})",
            color="blue",
            icon=":material/category:",
        )
        if crisis.status == "closed":
            st.badge("Closed", color="gray", icon=":material/lock:")
        elif crisis.status == "failed":
            st.badge("Run failed: retry or close", color="red", icon=":material/error:")
        elif result.approval is not None:
            st.badge(
                f"Approved: {result.approval.scenario.id}. {result.approval.scenario.title}",
                color="green",
                icon=":material/task_alt:",
            )
        else:
            st.badge("Waiting for your decision", color="orange", icon=":material/gavel:")


def _why(s: Suggestion) -> None:
    """The severity criteria that fired, and what is not known yet."""
    why_level = f">= {s.severity.level}" if s.severity.unknowns else s.severity.level
    st.markdown(f"**Why {why_level}** {origin_md('rules')}")
    if s.severity.criteria:
        st.markdown(
            "\n".join(
                f"- {c.label}: **{c.value}** → {c.level} _(from {c.source})_"
                for c in s.severity.criteria
            )
        )
    else:
        st.markdown("- no criterion fired: lowest level")
    if s.severity.unknowns:
        st.caption(
            "Not known yet (each could raise the level): "
            + ", ".join(u.replace("_", " ") for u in s.severity.unknowns)
        )


def _sops(s: Suggestion) -> None:
    """The SOPs applied, and why the category."""
    st.markdown(f"**Active SOPs** {origin_md('rules')}")
    st.markdown(
        "\n".join(f"- **{r.id}** v{r.version} — {r.title}" for r in s.sops) or "- none applies"
    )
    st.caption(
        f"Category {origin_md(s.category.origin)} "
        + views.short("; ".join(s.category.reasons), 200)
    )


def _caveats(s: Suggestion) -> None:
    """Degraded mode, and what need-to-know hid from this operator."""
    if s.degraded:
        st.warning(
            "**Degraded mode**: the model was not used for part of this suggestion; rules "
            "and the offline backend filled in. " + "; ".join(s.degraded_reasons),
            icon=":material/cloud_off:",
        )
    hidden = {k: n for k, n in s.lineage.hidden.items() if n}
    if hidden:
        st.caption(
            ":material/visibility_off: Need-to-know: hidden from your clearance: "
            + ", ".join(f"{n} {k}" for k, n in hidden.items())
        )


def title_bar(result: CrisisResult, s: Suggestion, pack: Pack) -> None:
    """The title and the status badges: the first line, above the life-safety decision."""
    _title(result.crisis, s, pack)
    _status(result.crisis, s, result, pack)


def header(result: CrisisResult, s: Suggestion, pack: Pack, can_mark: bool) -> None:
    """The clocks, why this level, the SOPs; ``can_mark``: notifications may be logged done."""
    clocks.tiles(result.crisis.id, s, pack, can_mark)
    why, sops = st.columns(2, gap="large")
    with why:
        _why(s)
    with sops:
        _sops(s)
    _caveats(s)
