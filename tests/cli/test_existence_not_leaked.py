"""Commands taking a new id (``crisis open --id``, ``suggest --crisis``) hide existing ones.

A crisis opened at ``secret:ops`` is asked for at every clearance. Below it, both
commands answer exit 7 with exactly the stdout and stderr a missing id gets from
``crisis show`` (only the id differs), and touch nothing: no log entry, no resumed run,
even when a crash left the crisis half-open. At ``secret:ops`` they work on it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.domain import utcnow
from agent.errors import NotVisible
from agent.settings import Settings
from agent.store.crisis_log import Crisis, CrisisLog
from agent.store.db import dispose_engines, engine_for

runner = CliRunner()
EVENT = "Ammonia leak near compressor 3, vapour cloud SECRETWORD"
CID = "CR-HIDDEN-1"
MISSING = "CR-NOSUCH-9"
HIDDEN_AT = ["public", "internal", "restricted", "secret", "secret:legal", "restricted:ops"]
OWNER = "secret:ops"


@pytest.fixture
def secret_crisis(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("CRISISCELL_CLEARANCE", raising=False)
    opened = runner.invoke(
        app, ["crisis", "open", EVENT, "--site", "SITE-01", "--id", CID, "--clearance", OWNER]
    )
    assert opened.exit_code == 0, opened.output
    yield CID
    dispose_engines()


@pytest.fixture
def half_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """What ``kill -9`` before the first checkpoint leaves: the crisis and its event only."""
    monkeypatch.delenv("CRISISCELL_CLEARANCE", raising=False)
    log = CrisisLog(engine_for(Settings()))
    log.open(Crisis(id=CID, title="t", site="SITE-01", status="open", opened_at=utcnow(),
                    opened_by="alice", clearance=OWNER))
    log.append(CID, "event", EVENT, author="alice", payload={"site": "SITE-01", "facts": {}})
    yield CID
    dispose_engines()


def missing_answer(clearance: str) -> tuple[int, str, str]:
    """What a missing id gets where a missing id is an error, with the hidden id put in."""
    result = runner.invoke(app, ["crisis", "show", MISSING, "--clearance", clearance])
    return result.exit_code, result.stdout, result.stderr.replace(MISSING, CID)


def entries() -> list[str]:
    return [e.kind for e in CrisisLog(engine_for(Settings())).entries(CID)]


def open_again(clearance: str) -> list[str]:
    return ["crisis", "open", "wind turned", "--id", CID, "--clearance", clearance]


def suggest_on(clearance: str) -> list[str]:
    return ["suggest", "wind turned north", "--crisis", CID, "--clearance", clearance]


@pytest.mark.parametrize("command", [open_again, suggest_on], ids=["open-id", "suggest-crisis"])
def test_hidden_id_answers_like_a_missing_one(secret_crisis: str, command: object) -> None:
    before = entries()
    for clearance in HIDDEN_AT:  # one crisis, every clearance that may not see it
        result = runner.invoke(app, command(clearance))  # type: ignore[operator]
        assert result.exit_code == NotVisible.exit_code, (clearance, result.output)
        assert (result.exit_code, result.stdout, result.stderr) == missing_answer(clearance)
        assert "SECRETWORD" not in result.output and "exists" not in result.output
        assert entries() == before


def test_hidden_half_open_crisis_is_not_resumed(half_open: str) -> None:
    for clearance in HIDDEN_AT:
        result = runner.invoke(app, open_again(clearance))
        assert (result.exit_code, result.stdout, result.stderr) == missing_answer(clearance)
        assert entries() == ["event"]  # nothing resumed, nothing logged
    shown = runner.invoke(app, ["crisis", "show", CID, "--clearance", OWNER])
    assert "run interrupted before its first checkpoint" in shown.stdout


def test_owner_opens_again_resumes_and_suggest_updates(half_open: str) -> None:
    resumed = runner.invoke(app, open_again(OWNER))
    assert resumed.exit_code == 0, resumed.output
    assert "waiting for a decision" in resumed.stdout
    updated = runner.invoke(app, suggest_on(OWNER))
    assert updated.exit_code == 0, updated.output
    assert entries().count("event") == 1 and "decision" in entries()


def test_owner_open_of_a_live_id_says_it_exists(secret_crisis: str) -> None:
    again = runner.invoke(app, open_again(OWNER))
    assert again.exit_code == 2 and f"crisis {CID} already exists" in again.stderr


def test_missing_id_still_opens_at_every_clearance() -> None:
    for n, clearance in enumerate(["public", "secret:legal", OWNER]):
        cid = f"CR-NEW-{n}"
        opened = runner.invoke(app, ["suggest", "wind", "--crisis", cid, "--clearance", clearance])
        assert opened.exit_code == 0, (clearance, opened.output)
        log = CrisisLog(engine_for(Settings()))
        assert [e.kind for e in log.entries(cid)] == ["event", "suggestion"]
        assert log.require(cid).clearance == clearance
    dispose_engines()
