"""``crisiscell roster unlock NAME`` lifts a sign-in lock, audited with the OS user."""

from __future__ import annotations

import getpass
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from agent.auth import audit
from agent.auth.errors import AuthError
from agent.auth.gate import Locked, attempt
from agent.auth.passwords import hash_password
from agent.auth.roster import Operator, Roster
from agent.cli import app
from agent.domain import utcnow
from agent.settings import Settings

PASSWORD = "correct horse battery staple"
ROSTER = Roster(operators=[Operator(name="alice", role="operator",
                                    password_hash=hash_password(PASSWORD))])


def test_unlock_lets_the_operator_sign_in_again() -> None:
    home, start = Settings().home, utcnow() - timedelta(minutes=6)
    for n in range(5):
        with pytest.raises(AuthError):
            attempt(home, ROSTER, "alice", "wrong", now=start + timedelta(minutes=n))
    with pytest.raises(Locked):
        attempt(home, ROSTER, "alice", PASSWORD)
    result = CliRunner().invoke(app, ["roster", "unlock", "alice"])
    assert result.exit_code == 0, result.output
    assert "unlocked alice" in result.output
    assert attempt(home, ROSTER, "alice", PASSWORD).name == "alice"
    unlocked = [e for e in audit.events(home) if e["event"] == "sign_in_unlocked"]
    assert unlocked and unlocked[-1]["by"] == getpass.getuser()
