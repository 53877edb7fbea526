"""Live crisis page: intake with streamed progress, the ICS-201 view, and every decision."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from agent.crisis.service import CrisisService
from agent.graph import PIPELINE
from tests.fakes import FakeLLM
from tests.ui.conftest import page_text
from ui.state import StateKeys

Build = Callable[..., AppTest]


def test_intake_renders_examples_and_sites(app: Build) -> None:
    at = app()
    assert not at.exception
    assert at.title[0].value == "Open a crisis"
    assert "01-ammonia-leak-rouen" in at.selectbox(key=StateKeys.EXAMPLE).options
    assert any("SITE-01" in o for o in at.selectbox(key=StateKeys.EVENT_SITE).options)
    assert at.button(key=StateKeys.OPEN).label == "Analyse and open the crisis"


def test_open_from_example_streams_each_node_then_shows_scenarios(app: Build) -> None:
    at = app()
    at.selectbox(key=StateKeys.EXAMPLE).set_value("01-ammonia-leak-rouen").run()
    assert "ammoniac" in at.text_area(key=StateKeys.EVENT_TEXT).value
    assert "nh3_alarm" in at.text_area(key=StateKeys.EVENT_FACTS).value
    at.button(key=StateKeys.OPEN).click().run()
    at.run()  # AppTest shows the run before st.rerun; render the crisis view
    assert not at.exception
    progress = at.session_state[StateKeys.PROGRESS]
    assert [p.node for p in progress][:7] == list(PIPELINE)
    assert [p.node for p in progress][-2:] == ["guard", "finalise"]
    assert all(p.detail for p in progress)
    text = page_text(at)
    assert "Waiting for your decision" in text
    assert f"Last analysis: {len(progress)} steps" in text
    assert "Courses of action" in text
    assert "Rules" in text
    for n in (1, 2, 3):
        assert at.button(key=f"{StateKeys.APPROVE_PREFIX}{n}").label.startswith("Approve ")
    assert {m.label for m in at.metric} >= {
        "Severity",
        "T0 (reported)",
        "Elapsed",
        "Notifications",
    }
    assert at.get("dataframe"), "steps and notifications tables"
    assert len(at.get("vega_lite_chart")) == 3, "one timeline per scenario"


def test_blank_event_is_refused_with_a_clear_message(app: Build) -> None:
    at = app()
    at.text_area(key=StateKeys.EVENT_TEXT).set_value("   ").run()
    at.button(key=StateKeys.OPEN).click().run()
    assert not at.exception
    assert any("empty" in e.value for e in at.error)
    assert at.session_state[StateKeys.CRISIS_ID] is None


def test_bad_facts_yaml_is_refused(app: Build) -> None:
    at = app()
    at.text_area(key=StateKeys.EVENT_TEXT).set_value("Fire in the warehouse").run()
    at.text_area(key=StateKeys.EVENT_FACTS).set_value("- just\n- a list").run()
    at.button(key=StateKeys.OPEN).click().run()
    assert any("mapping" in e.value for e in at.error)


def test_header_shows_severity_criteria_unknowns_sops_and_precedents(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    assert not at.exception
    text = page_text(at)
    assert "Why >= S3" in text
    assert "Hospitalised 24 h or more (on site)" in text
    assert "Not known yet" in text
    assert "SOP-IND-TOX-001" in text
    assert "Similar past incidents" in text
    assert "Millard" in text, "the ammonia precedent with its resolution"
    assert "Notifications due" in text
    assert "SOP-compliant" in text


@pytest.mark.usefixtures("roster")
def test_approve_one_click_logs_the_decision(app: Build, seeded_crisis: Callable[..., str]) -> None:
    crisis_id = seeded_crisis()
    at = app(user="alice", CRISIS_ID=crisis_id)
    at.button(key=f"{StateKeys.APPROVE_PREFIX}2").click().run()
    at.run()
    assert not at.exception
    assert "Approved plan: B." in page_text(at)
    with CrisisService() as service:
        decisions = [e for e in service.log.entries(crisis_id) if e.kind == "decision"]
    assert [(d.summary, d.author) for d in decisions] == [
        ("approved scenario 2 (B: Informed by precedent)", "alice")
    ]


def test_reject_needs_a_reason(app: Build, seeded_crisis: Callable[..., str]) -> None:
    crisis_id = seeded_crisis()
    at = app(CRISIS_ID=crisis_id)
    at.button(key=StateKeys.REJECT).click().run()
    assert any("reason must not be empty" in e.value for e in at.error)
    at.text_input(key=StateKeys.REJECT_REASON).set_value("valve already closed").run()
    at.button(key=StateKeys.REJECT).click().run()
    at.run()
    assert not at.exception
    with CrisisService() as service:
        last = service.log.entries(crisis_id)[-1]
    assert (last.summary, last.rationale) == ("rejected the scenarios", "valve already closed")


def test_regenerate_with_guidance_streams_and_logs(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()
    at = app(CRISIS_ID=crisis_id)
    at.text_input(key=StateKeys.REGEN_GUIDANCE).set_value("evacuate the school first").run()
    at.button(key=StateKeys.REGENERATE).click().run()
    at.run()
    assert not at.exception
    assert at.session_state[StateKeys.PROGRESS][0].node == "apply_decision"
    with CrisisService() as service:
        kinds = [e.kind for e in service.log.entries(crisis_id) if e.kind != "blocked"]
    assert kinds[-2:] == ["decision", "suggestion"]


def test_situation_update_shows_what_changed(app: Build, seeded_crisis: Callable[..., str]) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    at.text_area(key=StateKeys.UPDATE_TEXT).set_value("One operator has died.").run()
    at.text_area(key=StateKeys.UPDATE_FACTS).set_value("casualties:\n  deaths: 1").run()
    at.button(key=StateKeys.UPDATE).click().run()
    at.run()
    assert not at.exception
    diff = at.session_state[StateKeys.LAST_DIFF]
    assert any(d.startswith("severity S3 -> S4") for d in diff), diff
    assert "What changed" in page_text(at)
    assert at.metric[0].value == ">= S4", "a lower bound while dimensions are unknown"


def test_update_needs_text_or_facts(app: Build, seeded_crisis: Callable[..., str]) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    at.button(key=StateKeys.UPDATE).click().run()
    assert any("needs text or facts" in e.value for e in at.error)


def test_refused_edit_shows_violations_and_can_be_forced(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()
    refusal = (1, ["step S01 is mandatory", "notify.fire_rescue is missing"])
    at = app(CRISIS_ID=crisis_id, VIOLATIONS=refusal)
    text = page_text(at)
    assert "Refused: the edited scenario breaks the SOPs" in text
    assert "step S01 is mandatory" in text and "notify.fire_rescue is missing" in text
    assert at.button(key=StateKeys.APPROVE_FORCED).disabled, "no rationale yet"
    at.text_input(key=StateKeys.FORCE_RATIONALE).set_value("the SDIS is already on site").run()
    at.button(key=StateKeys.APPROVE_FORCED).click().run()
    at.run()
    assert not at.exception
    with CrisisService() as service:
        last = [e for e in service.log.entries(crisis_id) if e.kind == "decision"][-1]
    assert last.summary.startswith("approved scenario 1 (") and last.summary.endswith(", edited)")
    assert last.rationale == "the SDIS is already on site"


def test_degraded_mode_banner_and_model_label(app: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.backend.make_llm", lambda settings: FakeLLM())
    at = app()
    at.selectbox(key=StateKeys.EXAMPLE).set_value("02-warehouse-fire-lyon").run()
    at.button(key=StateKeys.OPEN).click().run()
    at.run()
    assert not at.exception
    assert "Degraded mode" in page_text(at)


def test_no_precedent_notice(
    app: Build, seeded_crisis: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.backend

    crisis_id = seeded_crisis()
    real = ui.backend.current

    def without_precedents(cid: str) -> object:
        result = real(cid)
        assert result.suggestion is not None
        result.suggestion = result.suggestion.model_copy(
            update={"precedents": [], "no_precedent": True}
        )
        return result

    monkeypatch.setattr(ui.backend, "current", without_precedents)
    at = app(CRISIS_ID=crisis_id)
    assert not at.exception
    assert "No precedent" in page_text(at)


def test_new_crisis_button_goes_back_to_intake(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    at.button(key=StateKeys.NEW_CRISIS).click().run()
    at.run()
    assert at.title[0].value == "Open a crisis"


def test_a_failed_crisis_says_why_and_an_operator_retries_it(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()
    with CrisisService() as service:  # what a run that failed mid-way leaves (see checkpoint)
        service.log.set_status(crisis_id, status="failed")
        service.log.append(crisis_id, "failed", "disk is full", author="crisiscell",
                           payload={"during": "update", "error": "StoreError"})
    at = app(CRISIS_ID=crisis_id)
    assert not at.exception
    text = page_text(at)
    assert "The last run failed" in text and "disk is full" in text
    at.button(key=StateKeys.RETRY).click().run()
    at.run()
    assert not at.exception
    with CrisisService() as service:
        assert service.log.get(crisis_id).status == "open"  # type: ignore[union-attr]
        assert any(e.summary == "retry of the failed run" for e in service.log.entries(crisis_id))
