"""A refused edit: the page shows the rules' own list, never a string split apart."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from agent.auth.identity import local_identity
from agent.crisis.service import CrisisService
from tests.ui.conftest import TIMEOUT, page_text
from ui.state import StateKeys

Build = Callable[..., AppTest]


def _approve_without_mandatory_steps() -> None:
    """Drop every mandatory step of scenario 1 and ask the facade to approve it."""
    import streamlit as st

    from ui import backend

    crisis_id = st.session_state["crisis"]
    scenario = backend.current(crisis_id).suggestion.scenarios[0]  # type: ignore[union-attr]
    edited = scenario.model_copy(update={"steps": [x for x in scenario.steps if not x.mandatory]})
    st.session_state["edited"] = edited
    st.session_state["problems"] = backend.approve_edited(crisis_id, 1, edited)


def test_refused_edit_returns_the_rules_violations_and_logs_nothing(
    seeded_crisis: Callable[..., str],
) -> None:
    crisis_id = seeded_crisis()
    at = AppTest.from_function(_approve_without_mandatory_steps, default_timeout=TIMEOUT)
    at.session_state["crisis"] = crisis_id
    at.session_state[StateKeys.IDENTITY] = local_identity("alice", "internal")
    at.run()
    assert not at.exception
    with CrisisService() as service:
        report = service.check_edit(crisis_id, at.session_state["edited"])
        decisions = [e for e in service.log.entries(crisis_id) if e.kind == "decision"]
    assert not report.compliant
    assert at.session_state["problems"] == [v.message for v in report.violations]
    assert decisions == []


def test_each_refused_message_is_one_line_even_with_a_semicolon(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    problems = ["step S01 is mandatory; it opens the plan", "notify.fire_rescue is missing"]
    at = app(CRISIS_ID=seeded_crisis(), VIOLATIONS=(1, problems))
    assert not at.exception
    refused = [e.value for e in at.error if "Refused" in e.value]
    assert refused == [
        "**Refused: the edited scenario breaks the SOPs**\n"
        "- step S01 is mandatory; it opens the plan\n"
        "- notify.fire_rescue is missing"
    ]
    assert "notify.fire_rescue is missing" in page_text(at)
