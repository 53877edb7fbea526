"""Crises never stuck: a run that dies half-way is resumed; two approvers, one winner.

The process dying mid-node is stood in for by :class:`ProcessDied`, a ``BaseException``
that nothing in crisiscell catches (as with ``kill -9`` or SIGTERM, the run just stops).
An ordinary exception is a *failure* instead: see ``test_failed_state.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from agent.context import Deps
from agent.crisis.checkpoint import interrupted
from agent.crisis.service import CrisisService
from agent.domain import Event, Scenario
from agent.errors import DecisionConflict
from agent.llm.base import ScenarioRequest
from agent.llm.offline import OfflineLLM
from agent.settings import Settings
from agent.store.crisis_log import CrisisLog
from tests.fakes import FakeLLM
from tests.graph.conftest import ARCHIVE

LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")


class ProcessDied(BaseException):
    """The process stopped mid-node (not an error anything handles)."""


class CrashOnce(FakeLLM):
    """A backend whose first scenario call dies like a crashed process (not an LLMError)."""

    def __init__(self) -> None:
        super().__init__()
        self.crashes = 1

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        if self.crashes:
            self.crashes -= 1
            raise ProcessDied("killed mid-run")
        return super().propose_scenarios(request)


def crashed_open(service: CrisisService, cid: str) -> None:
    with pytest.raises(ProcessDied, match="killed mid-run"):
        service.open(LEAK, author="alice", crisis_id=cid)


def test_a_crashed_open_is_reported_then_resumed_by_the_next_decision(
    make_service: Callable[..., CrisisService],
) -> None:
    service = make_service(llm=CrashOnce())
    crashed_open(service, "CR-CRASH")
    assert interrupted(service, "CR-CRASH") == "run interrupted before generate"
    assert not service.current("CR-CRASH").waiting

    result = service.approve("CR-CRASH", 1, author="bob")

    assert result.approval is not None and result.approval.author == "bob"
    assert interrupted(service, "CR-CRASH") is None
    kinds = [e.kind for e in service.log.entries("CR-CRASH")]
    assert kinds == ["event", "suggestion", "note", "decision"]
    assert "resumed from the last checkpoint" in service.log.entries("CR-CRASH")[2].summary


def test_opening_the_same_id_again_recovers_instead_of_refusing(
    make_service: Callable[..., CrisisService],
) -> None:
    service = make_service(llm=CrashOnce())
    crashed_open(service, "CR-AGAIN")
    result = service.open(LEAK, author="alice", crisis_id="CR-AGAIN")
    assert result.waiting and result.suggestion is not None
    assert [e.kind for e in service.log.entries("CR-AGAIN")].count("event") == 1


def test_a_crashed_update_is_resumed(make_service: Callable[..., CrisisService]) -> None:
    llm = CrashOnce()
    llm.crashes = 0
    service = make_service(llm=llm)
    service.open(LEAK, author="alice", crisis_id="CR-UPD")
    llm.crashes = 1
    with pytest.raises(ProcessDied):
        service.update("CR-UPD", text="one operator has died", author="alice")
    assert (interrupted(service, "CR-UPD") or "").startswith("run interrupted before")
    result = service.update("CR-UPD", text="wind turning north", author="alice")
    assert result.waiting and result.suggestion is not None


def two_services(pack: Any, home: Path) -> list[CrisisService]:
    """Two operators' services on the same SQLite store and checkpoint file."""
    out = []
    for _ in range(2):
        settings = Settings(home=home)
        deps = Deps(llm=OfflineLLM(), settings=settings, pack_override=pack,
                    incidents_override=ARCHIVE)
        out.append(CrisisService(deps=deps))
    return out


def approve_together(services: list[CrisisService], cid: str) -> list[str]:
    """Both approvers read the crisis, then both try to write their decision at once."""
    barrier = threading.Barrier(2)
    for service in services:
        original = service.log.decide

        def decide(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            barrier.wait(timeout=30)
            return _original(*args, **kwargs)

        service.log.decide = decide  # type: ignore[method-assign]

    def approve(n: int) -> str:
        try:
            result = services[n].approve(cid, n + 1, author=f"op{n}")
        except DecisionConflict as exc:
            return f"conflict: {exc}"
        assert result.approval is not None
        return f"Approved by {result.approval.author}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(approve, range(2)))


def test_two_approvers_at_once_exactly_one_wins(pack: Any, tmp_path: Path) -> None:
    services = two_services(pack, tmp_path / "home")
    try:
        for round_ in range(10):
            cid = f"CR-RACE-{round_}"
            services[0].open(LEAK, author="alice", crisis_id=cid)
            outcomes = approve_together(services, cid)
            winners = [o for o in outcomes if o.startswith("Approved")]
            losers = [o for o in outcomes if o.startswith("conflict")]
            assert len(winners) == 1 and len(losers) == 1, outcomes
            winner = winners[0].removeprefix("Approved by ")
            assert f"{winner} at " in losers[0] and "decided first" in losers[0]
            approval = services[1].current(cid).approval
            assert approval is not None and approval.author == winner
            decisions = [e for e in services[0].log.entries(cid) if e.kind == "decision"]
            assert [d.author for d in decisions] == [winner]
            for service in services:
                service.log.decide = CrisisLog.decide.__get__(service.log)  # type: ignore[method-assign]
    finally:
        for service in services:
            service.close_resources()


def test_deciding_one_after_the_other_still_works(
    make_service: Callable[..., CrisisService],
) -> None:
    service = make_service()
    cid = service.open(LEAK, author="alice").crisis.id
    service.approve(cid, 1, author="alice")
    result = service.approve(cid, 2, author="bob")
    assert result.approval is not None and result.approval.author == "bob"


def test_crisis_show_says_what_a_crash_left(
    make_service: Callable[..., CrisisService], pack_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from agent.cli import app

    service = make_service(llm=CrashOnce())
    crashed_open(service, "CR-SHOW")
    service.close_resources()
    monkeypatch.setenv("CRISISCELL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
    result = CliRunner().invoke(app, ["crisis", "show", "CR-SHOW"])
    assert result.exit_code == 0, result.output
    assert "run interrupted before generate" in result.output
    assert "not waiting" in result.output and "resumes it" in result.output


def test_checkpoints_written_before_the_decision_models_moved_still_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Decision and Approval moved from agent.crisis.models to agent.domain: old threads load."""
    from agent.crisis.checkpoint import serializer
    from agent.domain import Decision

    monkeypatch.setattr(Decision, "__module__", "agent.crisis.models")  # as an old run wrote it
    typed = serializer().dumps_typed(Decision(kind="approve", author="alice", scenario=1))
    monkeypatch.undo()
    revived = serializer().loads_typed(typed)
    assert isinstance(revived, Decision) and revived.author == "alice"
