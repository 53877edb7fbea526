"""Editing a scenario before approving it: the rules re-check it; a refusal can be forced."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from agent.domain import Scenario, Suggestion
from agent.errors import CrisisCellError
from ui import backend, views
from ui.live.decide import decide
from ui.state import StateKeys


def _pick(s: Suggestion) -> int:
    """Which scenario to edit (1-based)."""
    return int(
        st.selectbox(
            "Scenario",
            list(range(1, len(s.scenarios) + 1)),
            format_func=lambda i: f"{s.scenarios[i - 1].id}. {s.scenarios[i - 1].title}",
            key=StateKeys.EDIT_SCENARIO,
        )
    )


def _editor(s: Suggestion, n: int, scenario: Scenario) -> pd.DataFrame:
    """The scenario's steps as an editable table (one editor per run and scenario)."""
    st.caption(
        "Delete a row to remove a step; change its owner, deadline (minutes after T0) "
        "or wording. The rules re-check the edited scenario before it is approved."
    )
    edited: pd.DataFrame = st.data_editor(
        views.editor_frame(scenario),
        key=f"{StateKeys.EDITOR_PREFIX}{s.lineage.run_id}_{n}",
        num_rows="delete",
        hide_index=True,
        width="stretch",
        disabled=["#", "SOP step", "Mandatory"],
        column_config={
            "Action": st.column_config.TextColumn(width="large"),
            "Deadline (min)": st.column_config.NumberColumn(min_value=0, step=1),
        },
    )
    return edited


def _approve(crisis_id: str, n: int, scenario: Scenario, candidate: Scenario) -> None:
    """Approve the edit if the rules allow it; else keep what they refuse for the page."""
    try:
        problems = backend.approve_edited(crisis_id, n, candidate)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    if problems:
        st.session_state[StateKeys.VIOLATIONS] = (n, problems)
        return
    st.session_state.pop(StateKeys.VIOLATIONS, None)
    st.session_state[StateKeys.FLASH] = (
        "success",
        f"Edited scenario {scenario.id} approved (still SOP-compliant).",
    )
    st.rerun()


def _refused(crisis_id: str, n: int, scenario: Scenario, candidate: Scenario) -> None:
    """What the rules refused in this scenario's edit, and approving it anyway, with a reason."""
    refused = st.session_state.get(StateKeys.VIOLATIONS)
    if not refused or refused[0] != n:
        return
    st.error(
        "**Refused: the edited scenario breaks the SOPs**\n"
        + "\n".join(f"- {p}" for p in refused[1])
    )
    rationale = st.text_input(
        "Rationale for approving anyway (logged)", key=StateKeys.FORCE_RATIONALE
    )
    if st.button(
        "Approve anyway (forced)",
        key=StateKeys.APPROVE_FORCED,
        disabled=not (rationale or "").strip(),
        icon=":material/warning:",
    ):
        decide(
            lambda svc: svc.approve(
                crisis_id, n, author=backend.operator(), edited=candidate, force=True,
                rationale=rationale,
            ),
            f"Edited scenario {scenario.id} approved by force; the rationale is logged.",
        )


def edit_and_approve(crisis_id: str, s: Suggestion, can_decide: bool) -> None:
    """The editor, folded; the approve button is live once something was edited."""
    if not s.scenarios:
        return
    with st.expander(
        "Edit a scenario before approving (remove, re-own, re-time steps)", icon=":material/edit:"
    ):
        n = _pick(s)
        scenario = s.scenarios[n - 1]
        candidate = views.scenario_from_editor(scenario, _editor(s, n, scenario))
        changed = candidate is not scenario
        if st.button(
            "Approve the edited scenario",
            key=StateKeys.APPROVE_EDITED,
            type="primary",
            disabled=not (can_decide and changed),
        ):
            _approve(crisis_id, n, scenario, candidate)
        if not changed:
            st.caption("Nothing edited yet.")
        _refused(crisis_id, n, scenario, candidate)
