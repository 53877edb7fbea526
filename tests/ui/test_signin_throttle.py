"""Failed sign-ins are rate-limited per name: 5 in 15 minutes lock it for 15, logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agent.auth import audit
from agent.auth.errors import AuthError
from agent.auth.gate import Locked, attempt, unlock
from agent.auth.passwords import hash_password
from agent.auth.roster import Operator, Roster
from agent.auth.throttle import Throttle
from agent.settings import Settings
from tests.ui.conftest import PASSWORD, page_text, sign_in
from ui.state import StateKeys

T0 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
ROSTER = Roster(operators=[Operator(name="alice", role="operator", password_hash=hash_password(
    PASSWORD))])


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def fail(home: Path, at: datetime, name: str = "alice") -> None:
    with pytest.raises(AuthError):
        attempt(home, ROSTER, name, "wrong password", now=at)


def test_five_failures_lock_the_name_even_with_the_right_password(tmp_path: Path) -> None:
    for n in range(5):
        fail(tmp_path, minutes(n))
    with pytest.raises(Locked, match="locked for 14 more minutes"):
        attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(5))
    assert attempt(tmp_path, ROSTER, "Alice", PASSWORD, now=minutes(19)).name == "alice"
    logged = [(e["event"], e["who"]) for e in audit.events(tmp_path)]
    assert logged == [("sign_in_failed", "alice")] * 5 + [
        ("sign_in_locked", "alice"), ("sign_in_refused_locked", "alice"), ("sign_in", "alice")]
    until = next(e["until"] for e in audit.events(tmp_path) if e["event"] == "sign_in_locked")
    assert datetime.fromisoformat(until) == minutes(4 + 15)


def test_the_fifth_failure_says_the_name_is_locked(tmp_path: Path) -> None:
    for n in range(4):
        fail(tmp_path, minutes(n))
    with pytest.raises(Locked, match="Too many failed sign-ins"):
        attempt(tmp_path, ROSTER, "alice", "wrong again", now=minutes(4))


def test_failures_spread_beyond_the_window_do_not_lock(tmp_path: Path) -> None:
    for n in range(8):
        fail(tmp_path, minutes(4 * n))  # never 5 within 15 minutes
    assert attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(33)).name == "alice"


def test_a_success_resets_the_count(tmp_path: Path) -> None:
    for n in range(4):
        fail(tmp_path, minutes(n))
    attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(4))
    fail(tmp_path, minutes(5))
    assert attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(6)).name == "alice"


def test_attempts_while_locked_do_not_extend_the_lock(tmp_path: Path) -> None:
    for n in range(5):
        fail(tmp_path, minutes(n))
    for n in range(5, 18):
        with pytest.raises(Locked):
            attempt(tmp_path, ROSTER, "alice", "guess", now=minutes(n))
    assert attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(19.5)).name == "alice"


def test_one_name_locked_leaves_the_others_and_unknown_names_lock_alike(tmp_path: Path) -> None:
    for n in range(5):
        fail(tmp_path, minutes(n), name="mallory")  # not in the roster
    with pytest.raises(Locked):
        attempt(tmp_path, ROSTER, "mallory", "anything", now=minutes(6))
    assert attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(6)).name == "alice"


def test_an_administrator_lifts_the_lock(tmp_path: Path) -> None:
    for n in range(5):
        fail(tmp_path, minutes(n))
    unlock(tmp_path, "ALICE", by="root", now=minutes(6))
    assert attempt(tmp_path, ROSTER, "alice", PASSWORD, now=minutes(7)).name == "alice"
    assert audit.events(tmp_path)[-2]["event"] == "sign_in_unlocked"
    assert audit.events(tmp_path)[-2]["by"] == "root"


def test_the_limits_are_parameters() -> None:
    strict = Throttle(failures=2, window=timedelta(minutes=1), lockout=timedelta(hours=1))
    events = [{"at": minutes(n).isoformat(), "event": "sign_in_failed", "who": "bob",
               "mode": "roster"} for n in (0, 0.5)]
    assert strict.locked_until(events, "BOB ") == minutes(60.5)
    assert not strict.locked(events, "bob", minutes(61))
    assert Throttle().locked_until(events, "bob") is None


@pytest.mark.usefixtures("roster")
def test_the_sign_in_page_says_the_name_is_locked(app: Callable[..., AppTest]) -> None:
    at = app()
    for _ in range(5):
        sign_in(at, "alice", "not-the-password")
    sign_in(at, "alice")
    assert not at.exception
    assert "Too many failed sign-ins for this name" in page_text(at)
    assert StateKeys.IDENTITY not in at.session_state
    assert not any(b.key == StateKeys.SIGN_OUT for b in at.button)
    events = [e["event"] for e in audit.events(Settings().home)]
    assert events[-2:] == ["sign_in_locked", "sign_in_refused_locked"]
