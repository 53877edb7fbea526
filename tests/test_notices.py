"""Notification clocks: overdue first, done only when logged, logged once (service and CLI)."""

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
from agent.crisis.notices import NoticeClock, clocks, mark_notified, overdue, recipient_key, span
from agent.crisis.service import CrisisService
from agent.domain import NotificationDue
from agent.errors import InputError
from agent.event_input import event_from_file
from agent.settings import Settings
from agent.store.crisis_log import LogEntry
from agent.store.db import dispose_engines
from tests.faults.test_concurrent_approvals import PG_URL, fresh_postgres

ROOT = Path(__file__).resolve().parents[1]
AMMONIA = ROOT / "examples" / "events" / "01-ammonia-leak-rouen.yaml"
T0 = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
runner = CliRunner()


def notice(to: str, minutes: int, *, conditional: bool = False) -> NotificationDue:
    return NotificationDue(
        sop_id="SOP-X", ref=to, to=to, within=timedelta(minutes=minutes),
        due_at=T0 + timedelta(minutes=minutes), mandatory=True, conditional=conditional,
    )


def done(to: str, n: int = 1) -> LogEntry:
    return LogEntry(id=n, crisis_id="CR", at=T0, author="alice", kind="notified",
                    summary=f"notified {to}", payload={"to": to})


NOTICES = [notice("insurer", 1440), notice("fire_rescue", 5), notice("exec_committee", 30),
           notice("inspectorate", 60), notice("mayor", 10, conditional=True)]


def test_overdue_lead_most_late_first_then_due_then_conditional() -> None:
    now = T0 + timedelta(minutes=65)
    order = [(c.recipient, c.state) for c in clocks(NOTICES, [], now)]
    assert order == [("fire_rescue", "overdue"), ("exec_committee", "overdue"),
                     ("inspectorate", "overdue"), ("insurer", "due"), ("mayor", "conditional")]
    assert clocks(NOTICES, [], now)[0].left == -timedelta(hours=1)


def test_a_logged_notification_no_longer_counts_as_overdue() -> None:
    now = T0 + timedelta(minutes=65)
    items = clocks(NOTICES, [done("fire_rescue")], now)
    assert [c.recipient for c in overdue(items)] == ["exec_committee", "inspectorate"]
    last = items[-1]
    assert (last.recipient, last.state, last.done and last.done.author) == (
        "fire_rescue", "done", "alice")


def test_one_clock_per_recipient_at_its_earliest_deadline() -> None:
    items = clocks([notice("police", 60), notice("police", 15)], [], T0)
    assert len(items) == 1 and items[0].notice.within == timedelta(minutes=15)


@pytest.mark.parametrize(("typed", "key"), [("Fire rescue", "fire_rescue"),
                                            ("fire-rescue", "fire_rescue"),
                                            ("  EXEC_committee ", "exec_committee")])
def test_recipient_as_operators_type_it(typed: str, key: str) -> None:
    assert recipient_key(typed) == key


@pytest.mark.parametrize(("minutes", "text"), [(12, "12 min"), (65, "1 h 05"),
                                               (-65, "1 h 05"), (60 * 50, "2 d 2 h")])
def test_span_reads_like_a_wall_clock(minutes: int, text: str) -> None:
    assert span(timedelta(minutes=minutes)) == text


@pytest.fixture
def crisis_id() -> Iterator[str]:
    with CrisisService() as service:
        yield service.open(event_from_file(AMMONIA), author="seed").crisis.id
    dispose_engines()


def test_mark_notified_logs_once_with_who_and_when(crisis_id: str) -> None:
    with CrisisService() as service:
        first = mark_notified(service, crisis_id, "Fire rescue", author="alice")
        again = mark_notified(service, crisis_id, "fire_rescue", author="bob")
        entries = service.entries(crisis_id)
    assert first.new and not again.new and again.entry.id == first.entry.id
    logged = [e for e in entries if e.kind == "notified"]
    assert len(logged) == 1 and logged[0].author == "alice"
    assert logged[0].payload["to"] == "fire_rescue"
    assert "after the deadline" in logged[0].summary


def test_unknown_recipient_is_refused_naming_the_owed_ones(crisis_id: str) -> None:
    with CrisisService() as service, pytest.raises(InputError, match="fire_rescue"):
        mark_notified(service, crisis_id, "the pope")
    with CrisisService() as service:
        assert not [e for e in service.entries(crisis_id) if e.kind == "notified"]


def test_cli_crisis_notified(crisis_id: str) -> None:
    args = ["crisis", "notified", crisis_id, "fire_rescue", "--author", "alice"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("logged #") and "by alice" in first.stdout
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.stdout.startswith("already logged #")
    bad = runner.invoke(app, ["crisis", "notified", crisis_id, "nobody"])
    assert bad.exit_code == InputError.exit_code
    assert bad.stderr.startswith("error: ") and "owes no notification" in bad.stderr


def _meet_before_writing(services: list[CrisisService], barrier: threading.Barrier) -> None:
    """Both markers read the log (and see nothing logged) before either writes."""
    for service in services:
        read = service.entries

        def entries(crisis_id: str, _read: Any = read) -> list[LogEntry]:
            seen: list[LogEntry] = _read(crisis_id)
            barrier.wait(timeout=30)
            return seen

        service.entries = entries  # type: ignore[method-assign]


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


def test_two_operators_marking_at_once_write_one_entry(store: Settings) -> None:
    """The check-then-append race: both see 'not notified', exactly one entry is written."""
    with CrisisService(store) as service:
        crisis_id = service.open(event_from_file(AMMONIA), author="seed").crisis.id
    for _ in range(5):
        with CrisisService(store) as a, CrisisService(store) as b:
            _meet_before_writing([a, b], threading.Barrier(2))
            to = next(c.recipient for c in _pending(a, crisis_id))
            with ThreadPoolExecutor(2) as pool:
                runs = [pool.submit(mark_notified, s, crisis_id, to, author=who)
                        for s, who in ((a, "alice"), (b, "bob"))]
                marks = [r.result(timeout=60) for r in runs]
            logged = [e for e in a.log.entries(crisis_id)
                      if e.kind == "notified" and e.payload["to"] == to]
        assert len(logged) == 1
        assert sorted(m.new for m in marks) == [False, True]
        assert {m.entry.id for m in marks} == {logged[0].id}


def _pending(service: CrisisService, crisis_id: str) -> list[NoticeClock]:
    owed = service.current(crisis_id).suggestion
    assert owed is not None
    return [c for c in clocks(owed.notifications, service.log.entries(crisis_id), T0)
            if c.done is None]
