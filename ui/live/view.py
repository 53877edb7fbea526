"""A crisis on the Live page, top to bottom: title, first minutes, header, decision, the rest."""

from __future__ import annotations

import streamlit as st

from agent.crisis.service import CrisisResult
from agent.domain import Approval, Suggestion
from agent.errors import CrisisCellError
from agent.pack import Pack
from ui import backend, clocks, closing, tasks, views
from ui.live.decisions import other_decisions
from ui.live.edit import edit_and_approve
from ui.live.failed import failed_banner
from ui.live.first_minutes import first_minutes
from ui.live.flash import flash
from ui.live.header import header, title_bar
from ui.live.precedents import precedents
from ui.live.progress import last_run
from ui.live.scenarios import scenario_cards
from ui.live.timeline import scenario_details
from ui.state import StateKeys


def can_mark(crisis: backend.Crisis) -> bool:
    """Whether the operator may log a notification as done: an open crisis, a writing role."""
    return crisis.status == "open" and backend.can("note")


def _changes(crisis_id: str) -> None:
    """What the last re-run changed, or that it changed nothing."""
    diff = st.session_state.get(StateKeys.LAST_DIFF)
    if diff:
        st.info(
            "**What changed**\n" + "\n".join(f"- {d}" for d in diff), icon=":material/difference:"
        )
    no_change = st.session_state.get(StateKeys.NO_CHANGE)
    if no_change and no_change[0] == crisis_id:
        st.info(no_change[1], icon=":material/sync_disabled:")


def _approved(result: CrisisResult, a: Approval, s: Suggestion) -> None:
    """The approved plan, and its task board."""
    st.success(
        f"**Approved plan: {a.scenario.id}. {a.scenario.title}** by {a.author} at "
        f"{a.at.astimezone():%d/%m %H:%M}"
        + (" · edited" if a.edited else "")
        + (" · SOP-compliant" if a.compliant else " · NOT compliant (forced)"),
        icon=":material/task_alt:",
    )
    tasks.board(result.crisis.id, a, s.event.reported_at, can_mark(result.crisis))


def _rejected(rejected: backend.LogEntry) -> None:
    st.warning(
        f"**Scenarios rejected** by {rejected.author} at "
        f"{rejected.at.astimezone():%d/%m %H:%M}: {rejected.rationale or 'no reason'}. "
        "They stay below for the record; ask for new scenarios or add a situation update.",
        icon=":material/block:",
    )


def _decision(result: CrisisResult, s: Suggestion) -> bool:
    """Where the decision stands (approved, rejected); whether a scenario may be approved."""
    crisis_id = result.crisis.id
    can_decide = result.waiting and result.crisis.status == "open"
    rejected = views.rejection(backend.entries(crisis_id))
    approved_here = result.approval is not None and result.approval.run_id == s.lineage.run_id
    _changes(crisis_id)
    if result.approval is not None:
        _approved(result, result.approval, s)
    if rejected is not None:
        _rejected(rejected)
    return can_decide and not (approved_here and rejected is None)


def _scenarios(result: CrisisResult, s: Suggestion, can_approve: bool) -> None:
    """The cards, the editor (operators), and each scenario against T0."""
    crisis_id = result.crisis.id
    approved = result.approval.scenario.id if result.approval else None
    scenario_cards(crisis_id, s, approved, can_approve)
    if result.waiting and result.crisis.status == "open" and not can_approve:
        st.caption(
            ":material/lock: A plan is approved: the other approve buttons are off. To change "
            "course, reject, ask for new scenarios or add a situation update."
        )
    if backend.can("decide"):
        edit_and_approve(crisis_id, s, can_approve)
    scenario_details(s)


def _footer(result: CrisisResult, s: Suggestion) -> None:
    """Notifications and precedents; then the operator's other decisions, or a read-only note."""
    crisis_id = result.crisis.id
    left, right = st.columns([3, 2], gap="large")
    with left:
        clocks.notifications(crisis_id, s, can_mark(result.crisis))
    with right:
        precedents(s)
    if backend.can("decide"):
        can_decide = result.waiting and result.crisis.status == "open"
        other_decisions(crisis_id, can_decide)
        closing.section(crisis_id, s, can_decide)
    else:
        st.info(
            f"You are signed in as **{backend.identity().role}**: you can read this crisis, "
            "not decide on it.",
            icon=":material/visibility:",
        )


def crisis_view(crisis_id: str, pack: Pack) -> None:
    """The whole crisis, as the operator's clearance may see it."""
    try:
        result = backend.current(crisis_id)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    s = result.suggestion
    if s is None:
        st.title(result.crisis.title)
        st.warning("This crisis has no suggestion yet.")
        return
    title_bar(result, s, pack)
    flash()
    failed_banner(result)
    first_minutes(result, s)
    header(result, s, pack, can_mark(result.crisis))
    last_run()
    can_approve = _decision(result, s)
    _scenarios(result, s, can_approve)
    _footer(result, s)
