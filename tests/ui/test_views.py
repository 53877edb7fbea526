"""Console helpers without a browser: editor round trip, tables, streaming, `crisiscell ui`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import typer

from agent.cli_ui import SERVER, streamlit_command, ui
from agent.crisis.notices import clocks
from agent.crisis.service import CrisisService
from agent.crisis.streaming import NodeProgress, describe_update, streaming
from agent.errors import RuleViolation
from agent.event_input import event_from_file
from ui import views

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "events" / "01-ammonia-leak-rouen.yaml"


@pytest.fixture
def opened() -> tuple[CrisisService, str]:
    service = CrisisService()
    result = service.open(event_from_file(EXAMPLE), author="t")
    yield service, result.crisis.id  # type: ignore[misc]
    service.close_resources()


def test_streaming_reports_every_node_and_records_like_a_plain_run() -> None:
    seen: list[NodeProgress] = []
    with CrisisService() as service, streaming(service, seen.append) as streamed:
        result = streamed.open(event_from_file(EXAMPLE), author="t")
        assert streamed.observer is not None  # the run streams through the public hook
    assert service.observer is None
    assert result.suggestion is not None
    assert [p.node for p in seen] == result.suggestion.lineage.nodes
    assert [p.index for p in seen] == list(range(1, len(seen) + 1))
    assert seen[1].detail.startswith(">=S3") or seen[1].detail.startswith("S3")
    assert seen[2].detail.startswith("IND.toxic_release")
    assert result.waiting and result.suggestion is not None
    with CrisisService() as service:
        kinds = [e.kind for e in service.log.entries(result.crisis.id) if e.kind != "blocked"]
        assert kinds == ["event", "suggestion"]
        assert not hasattr(service.graph, "_on_node"), "the wrapper is removed after the block"


def test_describe_update_reads_dicts_and_models() -> None:
    assert describe_update("retrieve", {"no_precedent": True, "precedents": []}) == (
        "no precedent",
        "rules",
    )
    assert describe_update("generate", {"scenarios": [1, 2], "scenario_origin": "llm"}) == (
        "2 scenarios",
        "llm",
    )
    assert describe_update("unknown", {}) == ("", "rules")


def test_editor_round_trip_unchanged_is_the_same_scenario(
    opened: tuple[CrisisService, str],
) -> None:
    service, crisis_id = opened
    scenario = service.current(crisis_id).suggestion.scenarios[0]  # type: ignore[union-attr]
    frame = views.editor_frame(scenario)
    assert views.scenario_from_editor(scenario, frame) is scenario
    assert not views.scenario_edited(scenario, frame)


def test_editor_reown_and_retime_stays_compliant(opened: tuple[CrisisService, str]) -> None:
    service, crisis_id = opened
    scenario = service.current(crisis_id).suggestion.scenarios[0]  # type: ignore[union-attr]
    frame = views.editor_frame(scenario)
    last = len(frame) - 1
    frame.loc[last, "Owner"] = scenario.steps[0].owner
    edited = views.scenario_from_editor(scenario, frame)
    assert edited.origin == "operator" and edited.adherence is None
    assert edited.steps[last].owner == scenario.steps[0].owner
    result = service.approve(crisis_id, 1, author="t", edited=edited)
    assert result.approval is not None and result.approval.edited


def test_editor_removing_a_mandatory_step_is_refused_unless_forced(
    opened: tuple[CrisisService, str],
) -> None:
    service, crisis_id = opened
    scenario = service.current(crisis_id).suggestion.scenarios[0]  # type: ignore[union-attr]
    frame = views.editor_frame(scenario)
    mandatory = int(frame.index[frame["Mandatory"]][0])
    edited = views.scenario_from_editor(scenario, frame.drop(index=mandatory))
    assert len(edited.steps) == len(scenario.steps) - 1
    with pytest.raises(RuleViolation, match="breaks the SOPs"):
        service.approve(crisis_id, 1, author="t", edited=edited)
    result = service.approve(
        crisis_id, 1, author="t", edited=edited, force=True, rationale="done by the fire brigade"
    )
    assert result.approval is not None and not result.approval.compliant


def test_editor_deadline_minutes_and_blank_owner() -> None:
    from agent.domain import Scenario, ScenarioStep

    step = ScenarioStep(
        action="Sound the alarm",
        action_type="alert",
        owner="COI",
        deadline=timedelta(minutes=2),
        sop_id="SOP-X",
        step_id="S01",
    )
    scenario = Scenario(id="A", title="t", rationale="r", steps=[step])
    frame = views.editor_frame(scenario)
    frame.loc[0, "Deadline (min)"] = 7
    frame.loc[0, "Owner"] = "  "
    edited = views.scenario_from_editor(scenario, frame)
    assert edited.steps[0].deadline == timedelta(minutes=7)
    assert edited.steps[0].owner is None
    frame.loc[0, "Deadline (min)"] = float("nan")
    assert views.scenario_from_editor(scenario, frame).steps[0].deadline is None


def test_tables_and_labels(opened: tuple[CrisisService, str]) -> None:
    service, crisis_id = opened
    s = service.current(crisis_id).suggestion
    assert s is not None
    now = s.event.reported_at + timedelta(minutes=3)
    steps = views.steps_frame(s.scenarios[0], s.event.reported_at, now)
    assert steps.loc[0, "Status"] == "overdue"  # T+2m, three minutes in
    assert steps.loc[0, "SOP step"] == "SOP-IND-TOX-001 / S01"
    items = clocks(s.notifications, [], now)
    notes = views.notifications_frame(items)
    assert list(notes.columns)[:4] == ["To", "Status", "Within", "Due at"]
    assert views.notices_tile(items)[1] == "fire rescue"  # due at T+5m, three minutes in
    chart = views.timeline_chart(views.timeline_frame(s, s.scenarios[0]))
    assert chart.to_dict()["layer"]
    assert views.origin_badge("llm")[0] == "Model"
    assert views.origin_badge("rules")[0] == "Rules"
    assert views.adherence_badge(s.scenarios[0].adherence)[1] == "green"
    assert views.duration(timedelta(hours=26, minutes=5)) == "26 h 05"
    assert views.duration(timedelta(days=3, hours=4)) == "3 d 4 h"
    assert views.duration(None) == "-"


def test_cli_ui_command_line() -> None:
    cmd = streamlit_command(SERVER, 8765, "127.0.0.1", headless=True)
    assert cmd[1:5] == ["-m", "streamlit", "run", str(SERVER)]
    assert "--server.headless" in cmd and cmd[cmd.index("--server.port") + 1] == "8765"
    assert SERVER.is_file()


def test_cli_ui_runs_streamlit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr("agent.cli_ui.os.execv", lambda path, cmd: calls.append(cmd))
    monkeypatch.setattr("agent.cli_ui.subprocess.call", lambda cmd: calls.append(cmd) or 0)
    with pytest.raises(typer.Exit) as stop:
        ui(port=8766, address="127.0.0.1", headless=True)
    assert stop.value.exit_code == 0
    assert calls and calls[0][4] == str(SERVER)
