"""Crisis log, History, SOP library, Evaluations and Settings pages, through AppTest."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agent.crisis.service import CrisisService
from agent.settings import Settings
from agent.store.db import engine_for
from evals.results import CaseResult, StepResult
from evals.store import save_run
from tests.ui.conftest import page_text
from ui.state import StateKeys

Build = Callable[..., AppTest]
LOG, HISTORY, SOPS = "pages/log.py", "pages/history.py", "pages/sops.py"
EVALS, SETTINGS = "pages/evaluations.py", "pages/settings.py"


# --- crisis log ---------------------------------------------------------------------------


def test_log_without_a_crisis_says_where_to_pick_one(app: Build) -> None:
    at = app(LOG)
    assert not at.exception
    assert "Active crisis" in page_text(at)


def test_log_shows_the_decision_filters_and_exports(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis(approve=1)
    at = app(LOG, CRISIS_ID=crisis_id)
    assert not at.exception
    table = at.dataframe[0].value
    assert "approved scenario 1 (A: By the book)" in set(table["Entry"])
    assert [k for k in table["Kind"] if k != "blocked"] == ["event", "suggestion", "decision"]
    at.multiselect(key=StateKeys.LOG_KINDS).set_value(["decision"]).run()
    assert list(at.dataframe[0].value["Kind"]) == ["decision"]
    at.multiselect(key=StateKeys.LOG_KINDS).set_value([]).run()
    at.multiselect(key=StateKeys.LOG_AUTHORS).set_value(["crisiscell"]).run()
    assert [k for k in at.dataframe[0].value["Kind"] if k != "blocked"] == ["suggestion"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "ICS-214 log (Markdown)",
        "ICS-214 log (JSON)",
        "ICS-201 briefing (Markdown)",
        "ICS-201 briefing (JSON)",
    ]


def _note(at: AppTest, text: str, generation: int, corrects: int | None = None) -> None:
    at.text_area(key=f"{StateKeys.NOTE_TEXT}{generation}").set_value(text)
    if corrects is not None:
        at.selectbox(key=f"{StateKeys.NOTE_CORRECTS}{generation}").set_value(corrects)
    at.button(key=f"{StateKeys.ADD_NOTE}{generation}").click().run()
    at.run()


@pytest.mark.usefixtures("roster")
def test_log_adds_a_note_then_a_correction(app: Build, seeded_crisis: Callable[..., str]) -> None:
    crisis_id = seeded_crisis()
    at = app(LOG, user="bob", CRISIS_ID=crisis_id)
    _note(at, "Prefect called back", 0)
    assert not at.exception
    with CrisisService() as service:
        note = service.log.entries(crisis_id)[-1]
    assert (note.kind, note.summary, note.author) == ("note", "Prefect called back", "bob")
    assert at.text_area(key=f"{StateKeys.NOTE_TEXT}1").value == "", "the box is empty again"
    _note(at, "It was the sub-prefect", 1, corrects=note.id)
    with CrisisService() as service:
        last = service.log.entries(crisis_id)[-1]
    assert (last.kind, last.corrects) == ("correction", note.id)
    assert "correction" in set(at.dataframe[0].value["Kind"])


@pytest.mark.usefixtures("roster")
def test_a_note_submission_writes_once(app: Build, seeded_crisis: Callable[..., str]) -> None:
    crisis_id = seeded_crisis()
    at = app(LOG, user="bob", CRISIS_ID=crisis_id)
    _note(at, "Valves closed at 08:20", 0)
    with pytest.raises(KeyError):  # the submitted form is gone: a replay has nothing to click
        at.button(key=f"{StateKeys.ADD_NOTE}0")
    at.session_state[StateKeys.NOTE_GENERATION] = 0  # even a stale form replayed
    at.run()
    at.text_area(key=f"{StateKeys.NOTE_TEXT}0").set_value("Valves closed at 08:20")
    at.button(key=f"{StateKeys.ADD_NOTE}0").click().run()
    with CrisisService() as service:
        notes = [e for e in service.log.entries(crisis_id) if e.kind == "note"]
    assert [n.summary for n in notes] == ["Valves closed at 08:20"]


def test_log_refuses_an_empty_note_and_keeps_the_form(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(LOG, CRISIS_ID=seeded_crisis())
    at.text_area(key=f"{StateKeys.NOTE_TEXT}0").set_value("   ")
    at.button(key=f"{StateKeys.ADD_NOTE}0").click().run()
    assert any("must not be empty" in e.value for e in at.error)
    assert at.text_area(key=f"{StateKeys.NOTE_TEXT}0").value == "   ", "nothing typed is lost"


# --- history --------------------------------------------------------------------------------


def test_history_filters_and_opens_an_incident(app: Build) -> None:
    at = app(HISTORY)
    assert not at.exception
    everything = len(at.dataframe[0].value)
    assert everything > 20
    at.selectbox(key=StateKeys.HIST_FAMILY).set_value("IND").run()
    industrial = at.dataframe[0].value
    assert 0 < len(industrial) < everything
    assert all(c.startswith("IND.") for c in industrial["Category"])
    at.text_input(key=StateKeys.HIST_TEXT).set_value("ammonia").run()
    found = at.dataframe[0].value
    assert len(found) >= 1
    at.selectbox(key=StateKeys.HIST_OPEN).set_value(found["Id"].iloc[0]).run()
    assert not at.exception
    text = page_text(at)
    assert "Actions, in order" in text and "Resolution" in text and "Outcome" in text
    actions = at.dataframe[1].value
    assert list(actions["#"]) == list(range(1, len(actions) + 1))


def test_history_period_filter(app: Build) -> None:
    at = app(HISTORY)
    at.date_input(key=StateKeys.HIST_PERIOD).set_value(
        (datetime(2010, 1, 1).date(), datetime(2010, 12, 31).date())
    ).run()
    assert not at.exception
    dates = at.dataframe[0].value["Date"]
    assert len(dates) >= 1
    assert all(d.year == 2010 for d in dates)


def test_history_no_match(app: Build) -> None:
    at = app(HISTORY)
    at.text_input(key=StateKeys.HIST_TEXT).set_value("zzzunlikelyword").run()
    assert "No incident matches" in page_text(at)


# --- SOP library ----------------------------------------------------------------------------


def test_sop_library_reads_an_sop_as_a_timeline(app: Build) -> None:
    at = app(SOPS)
    assert not at.exception
    at.segmented_control(key=StateKeys.SOP_FAMILY).set_value("IND").run()
    ids = list(at.dataframe[0].value["Id"])
    assert ids and all(i.startswith("SOP-IND-") for i in ids)
    at.selectbox(key=StateKeys.SOP_PICK).set_value("SOP-IND-TOX-001").run()
    assert not at.exception
    text = page_text(at)
    assert "Toxic gas release" in text
    assert "Forbidden actions" in text and "Notifications" in text
    steps = at.dataframe[1].value
    assert {"Owner", "Deadline", "Only if", "After"} <= set(steps.columns)
    assert at.get("vega_lite_chart"), "the steps timeline"
    assert "id: SOP-IND-TOX-001" in at.text_area(key=StateKeys.SOP_YAML).value


def test_sop_editor_lints_at_the_line_and_saves_only_when_clean(
    app: Build, sops_copy: Path
) -> None:
    at = app(SOPS)
    at.selectbox(key=StateKeys.SOP_PICK).set_value("SOP-IND-TOX-001").run()
    original = at.text_area(key=StateKeys.SOP_YAML).value
    broken = original.replace("    owner: COI\n", "    owner: NOBODY\n", 1)
    assert broken != original
    at.text_area(key=StateKeys.SOP_YAML).set_value(broken).run()
    assert at.button(key=StateKeys.SOP_SAVE).disabled
    at.button(key=StateKeys.SOP_LINT_BTN).click().run()
    assert not at.exception
    findings = at.dataframe[-1].value
    line = broken.splitlines().index("    owner: NOBODY") + 1
    assert line in set(findings["Line"])
    assert "NOBODY" in " ".join(findings["Problem"]) + " ".join(findings["Text"])
    assert at.button(key=StateKeys.SOP_SAVE).disabled
    assert (sops_copy / "SOP-IND-TOX-001.yaml").read_text() == original

    edited = re.sub(
        r"^version: (\d+)\.(\d+)\.(\d+)$",
        lambda m: f"version: {m[1]}.{m[2]}.{int(m[3]) + 1}", original, count=1, flags=re.M,
    )
    assert edited != original
    at.text_area(key=StateKeys.SOP_YAML).set_value(edited).run()
    at.button(key=StateKeys.SOP_LINT_BTN).click().run()
    assert "Lint-clean" in page_text(at)
    assert not at.button(key=StateKeys.SOP_SAVE).disabled
    at.button(key=StateKeys.SOP_SAVE).click().run()
    at.run()
    assert not at.exception
    assert (sops_copy / "SOP-IND-TOX-001.yaml").read_text() == edited


def test_an_approved_sop_is_never_saved_in_place(app: Build, sops_copy: Path) -> None:
    at = app(SOPS)
    at.selectbox(key=StateKeys.SOP_PICK).set_value("SOP-IND-TOX-001").run()
    original = at.text_area(key=StateKeys.SOP_YAML).value
    in_place = original.replace("title: Toxic gas release", "title: Toxic gas leak", 1)
    assert in_place != original and "status: approved" in original
    at.text_area(key=StateKeys.SOP_YAML).set_value(in_place).run()
    at.button(key=StateKeys.SOP_LINT_BTN).click().run()
    at.button(key=StateKeys.SOP_SAVE).click().run()
    assert not at.exception
    assert "never changed in place" in page_text(at)
    assert (sops_copy / "SOP-IND-TOX-001.yaml").read_text() == original

    old_version = re.search(r"^version: (\S+)$", original, re.M)
    assert old_version is not None
    draft = re.sub(r"^status: approved$", "status: draft", in_place, count=1, flags=re.M)
    draft = draft.replace(f"version: {old_version[1]}", "version: 9.0.0", 1)
    at.text_area(key=StateKeys.SOP_YAML).set_value(draft).run()
    at.button(key=StateKeys.SOP_LINT_BTN).click().run()
    at.button(key=StateKeys.SOP_SAVE).click().run()
    at.run()
    assert not at.exception
    assert (sops_copy / "SOP-IND-TOX-001.yaml").read_text() == draft
    kept = Settings().home / "sop_history" / f"SOP-IND-TOX-001@{old_version[1]}.yaml"
    assert kept.read_text() == original


def test_sop_editor_bad_yaml_syntax(app: Build, sops_copy: Path) -> None:
    at = app(SOPS)
    at.text_area(key=StateKeys.SOP_YAML).set_value("id: [unclosed\n").run()
    at.button(key=StateKeys.SOP_LINT_BTN).click().run()
    assert not at.exception
    assert "problem" in page_text(at)
    assert at.button(key=StateKeys.SOP_SAVE).disabled


# --- evaluations ----------------------------------------------------------------------------


def test_evaluations_empty_state_names_the_command(app: Build) -> None:
    at = app(EVALS)
    assert not at.exception
    assert "crisiscell eval run archive" in page_text(at)


def _store_run(run_id: str, model: str, compliant: bool) -> None:
    result = CaseResult(
        name="INC-2010-millard-ammonia",
        expected_category="IND.toxic_release",
        steps=[
            StepResult(
                at_s=0,
                category="IND.toxic_release",
                severity="S3",
                compliant=compliant,
                latency_ms=12.0,
            )
        ],
        metrics={"category_family_accuracy": True, "sop_compliance_rate": compliant},
        score=100.0 if compliant else 35.0,
    )
    value = 1.0 if compliant else 0.0
    summary = {
        "run_id": run_id,
        "suite": "archive",
        "model": model,
        "created_at": datetime.now(UTC).isoformat(),
        "code_version": "0.1.0",
        "git_commit": "abc",
        "cases": 1,
        "config": {},
        "category_family_accuracy": 1.0,
        "sop_compliance_rate": value,
        "intervals": {"sop_compliance_rate": {"value": value, "low": value, "high": value, "n": 1}},
    }
    save_run(engine_for(Settings()), summary, [result])


def test_evaluations_show_runs_cases_and_a_comparison(app: Build) -> None:
    _store_run("run-a", "offline", compliant=True)
    _store_run("run-b", "openai:gpt-4o-mini", compliant=False)
    at = app(EVALS)
    assert not at.exception
    assert set(at.dataframe[0].value["Run"]) == {"run-a", "run-b"}
    at.selectbox(key=StateKeys.EVAL_RUN).set_value("run-a").run()
    assert not at.exception
    assert "INC-2010-millard-ammonia" in set(at.dataframe[2].value["Case"])
    assert at.selectbox(key=StateKeys.EVAL_RUN_B).value == "run-b"
    assert "Cases that changed" in page_text(at)


# --- settings -----------------------------------------------------------------------------


def test_settings_shows_the_single_user_identity_read_only(app: Build) -> None:
    at = app(SETTINGS)
    assert not at.exception
    assert "The offline backend always answers." in page_text(at)
    assert "Single-user local mode" in page_text(at)
    assert not at.text_input and not at.selectbox(key=StateKeys.CRISIS_PICK).disabled
    assert {m.label: m.value for m in at.metric}["Role"] == "admin"


@pytest.mark.usefixtures("roster")
def test_settings_shows_the_roster_identity_read_only(app: Build) -> None:
    at = app(SETTINGS, user="rita")
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Signed in as"], metrics["Role"], metrics["Clearance"]) == (
        "rita",
        "operator",
        "restricted",
    )
    assert not at.text_input, "nothing on Settings changes who you are"


@pytest.mark.usefixtures("roster")
def test_the_service_gets_the_signed_in_operator_and_clearance(app: Build) -> None:
    at = app(user="rita")
    at.selectbox(key=StateKeys.EXAMPLE).set_value("06-ransomware-paris").run()
    at.button(key=StateKeys.OPEN).click().run()
    with CrisisService() as service:
        crisis = service.log.crises()[0]
    assert (crisis.opened_by, crisis.clearance) == ("rita", "restricted")


def test_settings_reports_a_model_that_does_not_answer(app: Build, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("CRISISCELL_LLM", "openai:gpt-4o-mini")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CRISISCELL_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("CRISISCELL_LLM_TIMEOUT_S", "2")
    at = app(SETTINGS)
    at.button(key=StateKeys.LLM_CHECK).click().run()
    assert not at.exception
    assert any("did not answer" in e.value for e in at.error)


def test_sidebar_picks_the_active_crisis(app: Build, seeded_crisis: Callable[..., str]) -> None:
    crisis_id = seeded_crisis()
    at = app()
    picker = at.selectbox(key=StateKeys.CRISIS_PICK)
    assert crisis_id in picker.options[1]
    picker.select_index(1).run()
    assert at.session_state[StateKeys.CRISIS_ID] == crisis_id
    assert "Courses of action" in page_text(at)
