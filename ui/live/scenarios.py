"""The courses of action as cards: verdict, first actions, and approving one as proposed."""

from __future__ import annotations

import streamlit as st

from agent.domain import Scenario, Suggestion
from ui import backend, views
from ui.live.badges import origin_md
from ui.live.decide import Action, decide
from ui.state import StateKeys

LEGEND = (
    "Each scenario cites the SOP step behind every action; compliance is checked by rules. "
    "Approve one as it is, or edit it first (below). "
    f"{origin_md('rules')} deterministic, from the SOP pack and the archive · "
    f"{origin_md('llm')} proposed by the language model, then checked by the rules · "
    f"{origin_md('operator')} edited by an operator."
)


def approving(crisis_id: str, n: int, accepted: list[int]) -> Action:
    """Approve scenario ``n`` as proposed, with the unvetted steps the operator accepted."""
    return lambda svc: svc.approve(
        crisis_id, n, author=backend.operator(), accept_unvetted=accepted
    )


def unvetted_choice(sc: Scenario, n: int, can_decide: bool) -> list[int]:
    """The model's off-SOP steps, apart; the operator picks those to add to the plan."""
    if not sc.unvetted:
        return []
    st.warning(
        f"**Unvetted model steps** {origin_md('llm')}: not in the plan, nor in its "
        "compliance, unless you accept them (logged in your name).\n"
        + "\n".join(
            f"{k}. {views.short(u.action, 90)}"
            + (f" (why: {views.short(u.justification, 60)})" if u.justification else "")
            for k, u in enumerate(sc.unvetted, 1)
        )
    )
    picked = st.multiselect(
        "Accept unvetted steps",
        options=list(range(1, len(sc.unvetted) + 1)),
        key=f"{StateKeys.APPROVE_PREFIX}unvetted_{n}",
        disabled=not can_decide,
    )
    return [int(k) for k in picked]


def _badges(sc: Scenario, approved: bool) -> None:
    label, colour, icon = views.adherence_badge(sc.adherence)
    with st.container(horizontal=True, gap="small"):
        st.badge(label, color=colour, icon=icon)
        o_label, o_colour, o_icon = views.origin_badge(sc.origin)
        st.badge(o_label, color=o_colour, icon=o_icon)
        if approved:
            st.badge("Approved", color="green", icon=":material/task_alt:")


def _approve_button(crisis_id: str, sc: Scenario, n: int, can_decide: bool) -> None:
    """Operators only: the unvetted steps to accept, and the approve button."""
    if not backend.can("decide"):
        return
    accepted = unvetted_choice(sc, n, can_decide)
    if st.button(
        f"Approve {sc.id}",
        key=f"{StateKeys.APPROVE_PREFIX}{n}",
        type="primary",
        disabled=not can_decide,
        width="stretch",
        icon=":material/check:",
    ):
        decide(approving(crisis_id, n, accepted), f"Scenario {sc.id} approved and logged.")


def _summary(sc: Scenario) -> None:
    """Why, how many steps, the first actions, the verdict and what the guard withheld."""
    st.caption(sc.rationale)
    timed = [x.deadline for x in sc.steps if x.deadline is not None]
    st.markdown(
        f"**{len(sc.steps)}** steps · **{sum(1 for x in sc.steps if x.mandatory)}** "
        f"mandatory · last deadline **{views.duration(max(timed)) if timed else '-'}**"
    )
    first = [x for x in sc.steps if not x.conditional][:3]
    st.markdown(
        "**First actions**\n"
        + "\n".join(
            f"- `{views.fmt_when(x)}` {views.short(x.action, 60)} · _{x.owner or '?'}_"
            for x in first
        )
    )
    st.caption(views.adherence_counts(sc.adherence))
    if sc.adherence and sc.adherence.violations:
        st.error("\n".join(f"- {v.message}" for v in sc.adherence.violations))
    if sc.blocked:
        st.error(
            "**Withheld by the guard** (rules)\n" + "\n".join(f"- {b.summary}" for b in sc.blocked)
        )
    if sc.precedent_ids:
        st.caption("Informed by: " + ", ".join(sc.precedent_ids))


def scenario_cards(
    crisis_id: str, s: Suggestion, approved: str | None, can_decide: bool
) -> None:
    """One card per scenario, side by side; ``approved``: the approved scenario's id."""
    st.subheader("Courses of action")
    st.caption(LEGEND)
    if not s.scenarios:
        st.error(
            "No scenario: no SOP applies to this event. Ask for new scenarios with "
            "guidance, or add a situation update."
        )
        return
    cols = st.columns(len(s.scenarios), gap="medium")
    for n, (col, sc) in enumerate(zip(cols, s.scenarios, strict=True), 1):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"#### {sc.id}. {sc.title}")
            _badges(sc, approved == sc.id)
            _approve_button(crisis_id, sc, n, can_decide)
            _summary(sc)
