"""The other decisions on a crisis: reject every scenario, ask for new ones, add an update."""

from __future__ import annotations

import streamlit as st

from ui import backend
from ui.live.decide import decide, rerun_decision
from ui.state import StateKeys


def _reject(crisis_id: str, can_decide: bool) -> None:
    st.markdown("**Reject all scenarios**")
    reason = st.text_input(
        "Reason", key=StateKeys.REJECT_REASON, placeholder="e.g. the valve is already closed"
    )
    if st.button("Reject", key=StateKeys.REJECT, disabled=not can_decide, icon=":material/block:"):
        decide(
            lambda svc: svc.reject(crisis_id, reason=reason, author=backend.operator()),
            "Scenarios rejected; the reason is logged.",
        )


def _regenerate(crisis_id: str, can_decide: bool) -> None:
    st.markdown("**Ask for new scenarios**")
    guidance = st.text_input(
        "Guidance",
        key=StateKeys.REGEN_GUIDANCE,
        placeholder="e.g. prioritise the evacuation of the school",
    )
    if st.button(
        "Regenerate", key=StateKeys.REGENERATE, disabled=not can_decide, icon=":material/refresh:"
    ):
        rerun_decision(
            "Drafting new scenarios",
            lambda svc: svc.regenerate(crisis_id, guidance=guidance, author=backend.operator()),
            "New scenarios drafted.",
            "Regenerate changed nothing: the same category, severity, SOPs, "
            "notifications and steps as before.",
        )


def _update(crisis_id: str, can_decide: bool) -> None:
    st.markdown("**Situation update**")
    text = st.text_area(
        "What is new",
        key=StateKeys.UPDATE_TEXT,
        height=80,
        placeholder="e.g. valve closed at 08:20, plume dissipating",
    )
    facts_text = st.text_area(
        "New facts (YAML, optional)", key=StateKeys.UPDATE_FACTS, height=68,
        placeholder="casualties:\n  deaths: 0",
    )
    if not st.button(
        "Add update and re-assess", key=StateKeys.UPDATE, disabled=not can_decide,
        icon=":material/update:",
    ):
        return
    try:
        facts = backend.parse_facts(facts_text or "")
    except ValueError as exc:
        st.error(str(exc))
        return
    rerun_decision(
        "Re-assessing with the update",
        lambda svc: svc.update(
            crisis_id, text=text or None, facts=facts or None, author=backend.operator()
        ),
        "Situation update logged; severity, SOPs and scenarios re-assessed.",
        "Situation update logged, but it changed nothing: the same category, "
        "severity, SOPs, notifications and steps as before.",
    )


def other_decisions(crisis_id: str, can_decide: bool) -> None:
    """The three, side by side, each in its own card."""
    st.subheader("Other decisions")
    reject, regen, update = st.columns(3, gap="medium")
    with reject, st.container(border=True, height="stretch"):
        _reject(crisis_id, can_decide)
    with regen, st.container(border=True, height="stretch"):
        _regenerate(crisis_id, can_decide)
    with update, st.container(border=True, height="stretch"):
        _update(crisis_id, can_decide)
