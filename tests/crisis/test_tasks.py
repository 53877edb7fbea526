"""The approved plan as a task board: due by the SOP clocks, done only when logged, once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.crisis.service import CrisisService
from agent.crisis.tasks import board, find, mark_done
from agent.domain import Approval, Scenario, ScenarioStep
from agent.errors import InputError
from agent.event_input import event_from_file
from agent.settings import Settings
from agent.store.crisis_log import LogEntry
from agent.store.db import dispose_engines
from tests.faults.test_concurrent_approvals import PG_URL, fresh_postgres

ROOT = Path(__file__).resolve().parents[2]
AMMONIA = ROOT / "examples" / "events" / "01-ammonia-leak-rouen.yaml"
T0 = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
runner = CliRunner()


def step(step_id: str, minutes: int | None, **kw: Any) -> ScenarioStep:
    deadline = timedelta(minutes=minutes) if minutes is not None else None
    return ScenarioStep(sop_id="SOP-X", step_id=step_id, action=f"do {step_id}",
                        action_type="contain", owner="shift_lead", deadline=deadline, **kw)


PLAN = Approval(
    scenario=Scenario(id="A", title="By the book", rationale="r", steps=[
        step("S01", 5), step("S02", 10, anchor="step:S01"), step("S03", 15, conditional=True,
                                                                anchor="condition"),
        step("S04", None), ScenarioStep(action="call the mayor", action_type="notify"),
    ]),
    run_id="run-1", author="alice", at=T0 + timedelta(minutes=40), edited=False, compliant=True,
)


def done(key: str, at: datetime, n: int = 1) -> LogEntry:
    return LogEntry(id=n, crisis_id="CR", at=at, author="bob", kind="task_done",
                    summary=f"done {key}", payload={"step": key})


def test_due_times_follow_the_sop_clocks() -> None:
    tasks = board(PLAN, T0, [], T0 + timedelta(minutes=7))
    assert [(t.number, t.key, t.state) for t in tasks] == [
        (1, "SOP-X/S01", "overdue"), (2, "SOP-X/S02", "waiting"), (3, "SOP-X/S03", "waiting"),
        (4, "SOP-X/S04", "waiting"), (5, "step-5", "waiting")]
    assert tasks[0].due == T0 + timedelta(minutes=5)
    assert tasks[1].due is None  # counts from S01, not done yet


def test_a_done_step_starts_the_clock_of_the_step_anchored_on_it() -> None:
    finished = T0 + timedelta(minutes=20)
    tasks = board(PLAN, T0, [done("SOP-X/S01", finished)], finished + timedelta(minutes=1))
    assert tasks[0].state == "done" and tasks[0].done and tasks[0].done.author == "bob"
    assert tasks[1].due == finished + timedelta(minutes=10) and tasks[1].state == "due"


def test_only_the_first_mark_of_a_step_counts() -> None:
    first, later = done("SOP-X/S01", T0, 1), done("SOP-X/S01", T0 + timedelta(hours=1), 2)
    assert board(PLAN, T0, [first, later], T0)[0].done == first


@pytest.mark.parametrize(("typed", "number"), [("1", 1), ("SOP-X/S02", 2), ("s04", 4),
                                                ("sop-x / s03", 3), ("step-5", 5)])
def test_a_step_is_named_by_number_sop_step_or_step_id(typed: str, number: int) -> None:
    assert find(board(PLAN, T0, [], T0), typed).number == number


@pytest.mark.parametrize("typed", ["0", "6", "S99", ""])
def test_an_unknown_step_is_refused(typed: str) -> None:
    with pytest.raises(InputError, match="not in the approved plan"):
        find(board(PLAN, T0, [], T0), typed)


@pytest.fixture
def crisis_id() -> Iterator[str]:
    with CrisisService() as service:
        yield service.open(event_from_file(AMMONIA), author="seed").crisis.id
    dispose_engines()


def test_no_board_before_approval(crisis_id: str) -> None:
    with CrisisService() as service, pytest.raises(InputError, match="no approved plan"):
        mark_done(service, crisis_id, "1")


def test_mark_done_logs_once_with_who_and_when(crisis_id: str) -> None:
    with CrisisService() as service:
        service.approve(crisis_id, 1, author="seed")
        first = mark_done(service, crisis_id, "1", author="alice")
        again = mark_done(service, crisis_id, first.entry.payload["step"], author="bob")
        logged = [e for e in service.entries(crisis_id) if e.kind == "task_done"]
    assert first.new and not again.new and again.entry.id == first.entry.id
    assert len(logged) == 1 and logged[0].author == "alice"
    assert logged[0].summary.startswith("done: step 1 (SOP-")
    assert logged[0].payload["plan"] == "A"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Settings]:
    """The default SQLite store, or PostgreSQL when ``CRISISCELL_TEST_POSTGRES_URL`` is set."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("no PostgreSQL: set CRISISCELL_TEST_POSTGRES_URL to run")
        fresh_postgres(PG_URL)
        yield Settings(database_url=PG_URL)
    else:
        yield Settings()
    dispose_engines()


def test_two_operators_marking_a_step_at_once_write_one_entry(store: Settings) -> None:
    """Both read the board (nothing done) before either writes: exactly one entry."""
    with CrisisService(store) as service:
        crisis_id = service.open(event_from_file(AMMONIA), author="seed").crisis.id
        service.approve(crisis_id, 1, author="seed")
    for n in range(1, 4):
        with CrisisService(store) as a, CrisisService(store) as b:
            barrier = threading.Barrier(2)
            for service in (a, b):
                read = service.entries

                def entries(cid: str, _read: Any = read, _meet: Any = barrier) -> list[LogEntry]:
                    seen: list[LogEntry] = _read(cid)
                    _meet.wait(timeout=30)
                    return seen

                service.entries = entries  # type: ignore[method-assign]
            with ThreadPoolExecutor(2) as pool:
                runs = [pool.submit(mark_done, s, crisis_id, str(n), author=who)
                        for s, who in ((a, "alice"), (b, "bob"))]
                marks = [r.result(timeout=60) for r in runs]
            logged = [e for e in a.log.entries(crisis_id)
                      if e.kind == "task_done" and e.payload["number"] == n]
        assert len(logged) == 1 and sorted(m.new for m in marks) == [False, True]


def test_cli_crisis_done(crisis_id: str) -> None:
    bad = runner.invoke(app, ["crisis", "done", crisis_id, "1"])
    assert bad.exit_code == InputError.exit_code and "no approved plan" in bad.stderr
    with CrisisService() as service:
        service.approve(crisis_id, 1, author="seed")
    args = ["crisis", "done", crisis_id, "1", "--author", "alice"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("logged #") and "by alice" in first.stdout
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.stdout.startswith("already logged #")
    missing = runner.invoke(app, ["crisis", "done", crisis_id, "999"])
    assert missing.exit_code == InputError.exit_code
    assert missing.stderr.startswith("error: ") and "not in the approved plan" in missing.stderr
