"""A crisis as a living thread: decisions, updates, severity hold, closing the loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import text

from agent.crisis.service import CrisisService
from agent.domain import Event, ScenarioStep
from agent.errors import InputError, RuleViolation
from agent.store.incidents import IncidentRepository

LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")


def test_open_pauses_after_the_scenarios(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    result = service.open(LEAK, author="alice")
    assert result.waiting and result.suggestion is not None
    assert result.suggestion.lineage.crisis_id == result.crisis.id
    assert result.suggestion.lineage.checkpoint_id
    kinds = [e.kind for e in service.log.entries(result.crisis.id)]
    assert kinds == ["event", "suggestion"]
    assert service.suggestions.get(result.suggestion.lineage.run_id) is not None


def test_approve_then_wait_for_more(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    result = service.approve(cid, 2, author="alice", rationale="matches the precedent")
    assert result.approval is not None and result.approval.compliant
    assert result.approval.scenario.id == "B" and result.waiting
    entry = service.log.entries(cid)[-1]
    assert (entry.kind, entry.author, entry.rationale) == (
        "decision",
        "alice",
        "matches the precedent",
    )
    with pytest.raises(InputError, match="scenario 9"):
        service.approve(cid, 9, author="alice")


def test_edited_scenario_is_rechecked(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    result = service.open(LEAK, author="alice")
    assert result.suggestion is not None
    scenario = result.suggestion.scenarios[0]
    retimed = [
        s.model_copy(update={"owner": "hse"}) if s.step_id == "S06" else s for s in scenario.steps
    ]
    good = scenario.model_copy(update={"steps": retimed})
    approved = service.approve(result.crisis.id, 1, author="alice", edited=good)
    assert approved.approval is not None and approved.approval.edited
    assert approved.approval.compliant and approved.approval.scenario.origin == "operator"

    late = [
        s.model_copy(update={"deadline": timedelta(hours=3)}) if s.step_id == "S01" else s
        for s in scenario.steps
    ]
    added = ScenarioStep(
        action="Hose the leak with a water jet",
        action_type="mitigate",
        off_sop=True,
        justification="quick",
    )
    bad = scenario.model_copy(update={"steps": [*late, added]})
    with pytest.raises(RuleViolation, match="S01"):
        service.approve(result.crisis.id, 1, author="alice", edited=bad)
    forced = service.approve(
        result.crisis.id,
        1,
        author="alice",
        edited=bad,
        force=True,
        rationale="fire officer's order",
    )
    assert forced.approval is not None and not forced.approval.compliant


def test_reject_and_regenerate(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    first = service.open(LEAK, author="alice")
    cid = first.crisis.id
    service.reject(cid, reason="wind has turned", author="bob")
    again = service.regenerate(cid, guidance="assume wind from the north", author="bob")
    assert again.suggestion is not None and first.suggestion is not None
    assert again.suggestion.lineage.run_id != first.suggestion.lineage.run_id
    assert again.suggestion.lineage.nodes[0] == "generate"
    kinds = [e.kind for e in service.log.entries(cid)]
    assert kinds == ["event", "suggestion", "decision", "decision", "suggestion"]
    with pytest.raises(InputError):
        service.reject(cid, reason="  ", author="bob")


def test_update_raises_severity_and_shows_the_diff(
    make_service: Callable[..., CrisisService],
) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    result = service.update(cid, text="one operator has died", author="bob")
    assert result.suggestion is not None and result.suggestion.severity.level == "S4"
    assert "severity S2 -> S4" in result.diff
    assert "one operator has died" in result.suggestion.event.text


def test_severity_is_never_lowered_silently(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    service.update(cid, facts={"casualties": {"hospitalised_onsite": 6}}, author="bob")
    lower = service.update(
        cid, facts={"casualties": {"hospitalised_onsite": 0, "injured": 0}}, author="bob"
    )
    assert lower.suggestion is not None
    assert lower.suggestion.severity.level == "S4"
    assert "deescalation_proposed" in lower.suggestion.severity.flags
    assert any("held at S4" in line for line in lower.diff)
    down = service.deescalate(cid, to_level="S1", reason="casualties discharged", author="ic")
    assert down.suggestion is not None and down.suggestion.severity.level == "S1"
    entry = next(e for e in service.log.entries(cid) if "de-escalated" in e.summary)
    assert entry.author == "ic" and entry.rationale == "casualties discharged"


def test_close_turns_the_crisis_into_an_incident(
    pack_dir: object, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.settings import Settings

    with CrisisService(Settings(sops_dir=pack_dir)) as service:
        cid = service.open(LEAK, author="alice").crisis.id
        service.approve(cid, 1, author="alice")
        service.note(cid, "valves closed at 08:20", author="alice")
        closed = service.close(
            cid,
            resolution="Leak isolated by remote valves",
            outcome="2 treated on site, no lasting damage",
            author="alice",
        )
        assert closed.crisis.status == "closed" and not closed.waiting
        incident = IncidentRepository(service.engine).get(closed.crisis.incident_id or "")
        assert incident is not None and incident.category == "IND.toxic_release"
        assert incident.actions[0].text.startswith("Sound toxic alarm")
        assert incident.actions[-1].text == "valves closed at 08:20"
        with pytest.raises(InputError, match="closed"):
            service.approve(cid, 1, author="alice")
        later = service.open(
            Event(text="Ammonia leak at compressor 3 again, vapour cloud", site="SITE-01"),
            author="bob",
        )
        assert later.suggestion is not None
        assert incident.id in [p.id for p in later.suggestion.precedents]


def test_log_is_append_only(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    first = service.log.entries(cid)[0]
    for statement in ("UPDATE crisis_log SET summary = 'rewritten'", "DELETE FROM crisis_log"):
        with pytest.raises(Exception, match="append-only"), service.engine.begin() as conn:
            conn.execute(text(statement))
    assert not any(hasattr(service.log, name) for name in ("edit", "delete", "update"))
    fix = service.note(cid, "the leak is on compressor 4, not 3", author="alice", corrects=first.id)
    assert fix.kind == "correction" and fix.corrects == first.id
    assert service.log.entries(cid)[0].summary == first.summary
    with pytest.raises(InputError):
        service.note(cid, "bad ref", author="alice", corrects=9999)


def test_check_edit_decides_nothing(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    result = service.open(LEAK, author="alice")
    assert result.suggestion is not None
    scenario = result.suggestion.scenarios[0]
    pruned = scenario.model_copy(update={"steps": scenario.steps[1:]})
    report = service.check_edit(result.crisis.id, pruned)
    assert not report.compliant and report.violations[0].kind == "missing_mandatory"
    assert [e.kind for e in service.log.entries(result.crisis.id)] == ["event", "suggestion"]
