"""ICS-201 and ICS-214 exports field by field, and `explain` on a real run."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.crisis.exports import ics201, ics201_markdown, ics214, ics214_markdown
from agent.crisis.service import CrisisService
from agent.domain import Event

LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")


def test_ics214_lists_every_entry(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    service.approve(cid, 1, author="bob", rationale="by the book")
    service.note(cid, "fire brigade on site", author="carol")
    crisis, entries = service.log.require(cid), service.log.entries(cid)
    form = ics214(crisis, entries)
    assert form["form"] == "ICS-214" and form["incident_id"] == cid
    assert form["incident_name"] == crisis.title and form["prepared_by"] == "alice"
    assert form["operational_period"]["from"] == crisis.opened_at.isoformat()
    log = form["activity_log"]
    assert [a["kind"] for a in log] == ["event", "suggestion", "decision", "note"]
    assert [a["author"] for a in log] == ["alice", "crisiscell", "bob", "carol"]
    assert (
        log[2]["activity"] == "approved scenario 1 (A: By the book)"
        and log[2]["rationale"] == "by the book"
    )
    assert log[1]["run_id"]
    md = ics214_markdown(form)
    assert "| 4 |" in md and "fire brigade on site" in md and "by the book" in md


def test_ics201_sections(make_service: Callable[..., CrisisService], pack: Any) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    result = service.approve(cid, 1, author="bob")
    assert result.suggestion is not None and result.approval is not None
    form = ics201(result.crisis, result.suggestion, result.approval, pack)
    assert form["form"] == "ICS-201" and form["site"] == "SITE-01"
    sit = form["situation"]
    assert sit["category"] == "IND.toxic_release" and sit["severity"].startswith(">=S2")
    assert any("Slight injuries: 2" in c for c in sit["criteria"])
    assert "deaths" in sit["unknowns"] and sit["sops"] == ["SOP-IND-TOX-001 v1.2.0"]
    assert form["objectives"][0]["objective"] == "Protect life and health"
    assert form["plan"] == {"title": "By the book", "approved": True, "approved_by": "bob"}
    first = form["actions"][0]
    assert (first["when"], first["owner"], first["sop_step"]) == (
        "T+2m",
        "COI",
        "SOP-IND-TOX-001/S01",
    )
    t0 = result.suggestion.event.reported_at
    assert first["due_at"] == (t0 + timedelta(minutes=2)).isoformat()
    notes = {n["to"]: n for n in form["notifications"]}
    assert notes["dreal_inspection"]["within"] == "T+60m"
    assert notes["dreal_inspection"]["basis"] == "Code env. R512-69"
    positions = {o["ics_position"] for o in form["organisation"]}
    assert {"incident_commander", "operations_chief", "safety_officer"} <= positions
    md = ics201_markdown(form)
    for heading in (
        "## Situation",
        "## Objectives",
        "## Actions (approved",
        "## Notifications",
        "## Organisation",
    ):
        assert heading in md


def test_explain_a_real_run(pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
    runner = CliRunner()
    done = runner.invoke(app, ["suggest", LEAK.text, "--site", "SITE-01", "--json"])
    assert done.exit_code == 0, done.output
    run_id = json.loads(done.output)["lineage"]["run_id"]
    plain = runner.invoke(app, ["explain", run_id])
    assert plain.exit_code == 0, plain.output
    assert f"Run {run_id}" in plain.output and "SOP SOP-IND-TOX-001 v1.2.0" in plain.output
    assert "offline backend" in plain.output and "Rule severity_scale" in plain.output
    machine = json.loads(runner.invoke(app, ["explain", run_id, "--json"]).output)
    assert machine["lineage"]["run_id"] == run_id
    assert machine["lineage"]["sops"][0]["content_hash"]
    missing = runner.invoke(app, ["explain", "nope"])
    assert missing.exit_code == 7 and "run 'nope' is not visible at clearance" in missing.output
