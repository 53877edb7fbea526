"""Need-to-know on every read path: a crisis or incident above the caller's clearance.

Every command of ``crisiscell crisis`` and ``crisiscell history`` is listed here either
as a read path (run at a too-low clearance: refused, nothing of the record printed) or
as exempt with a reason, so a new command cannot be added without deciding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from agent.cli import app
from agent.cli_crisis import app as crisis_app
from agent.cli_history import app as history_app
from agent.domain import Incident
from agent.errors import NotVisible
from agent.settings import Settings
from agent.store.db import dispose_engines, engine_for
from agent.store.incidents import IncidentRepository
from tests.fakes import incident

runner = CliRunner()
EVENT = "Ammonia leak near compressor 3, vapour cloud over the car park SECRETWORD"
CID = "CR-SECRET-1"

CRISIS_READS: dict[str, list[str]] = {
    "show": ["crisis", "show", CID],
    "export": ["crisis", "export", CID],
    "export-214": ["crisis", "export", CID, "--form", "ics214", "--format", "json"],
    "log": ["crisis", "log", CID],
    "update": ["crisis", "update", CID, "wind turned north"],
    "approve": ["crisis", "approve", CID, "--scenario", "1"],
    "reject": ["crisis", "reject", CID, "--reason", "no"],
    "regenerate": ["crisis", "regenerate", CID, "--guidance", "more"],
    "deescalate": ["crisis", "deescalate", CID, "--to", "S1", "--reason", "calm"],
    "note": ["crisis", "note", CID, "a note"],
    "notified": ["crisis", "notified", CID, "fire_rescue"],
    "close": ["crisis", "close", CID, "--resolution", "r", "--outcome", "o"],
    "retry": ["crisis", "retry", CID],
    "done": ["crisis", "done", CID, "1"],
    "suggest": ["suggest", "wind turned north", "--crisis", CID],
}
CRISIS_EXEMPT = {
    "open": "creates a crisis at the caller's own clearance (an existing hidden id: "
    "tests/cli/test_existence_not_leaked.py)",
    "list": "filtered",
}
HISTORY_EXEMPT = {"load": "writes the shipped archive", "import": "writes the caller's file"}
HISTORY_READS = {"list", "show"}


def commands(group: typer.Typer) -> set[str]:
    return {
        c.name or (c.callback.__name__ if c.callback else "") for c in group.registered_commands
    }


def test_every_command_is_classified() -> None:
    crisis = {name.split("-")[0] for name in CRISIS_READS} - {"suggest"}
    assert commands(crisis_app) == crisis | set(CRISIS_EXEMPT)
    assert commands(history_app) == HISTORY_READS | set(HISTORY_EXEMPT)


@pytest.fixture
def secret_crisis(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("CRISISCELL_CLEARANCE", raising=False)
    opened = runner.invoke(
        app,
        ["crisis", "open", EVENT, "--site", "SITE-01", "--id", CID, "--clearance", "secret:ops"],
    )
    assert opened.exit_code == 0, opened.output
    yield CID
    dispose_engines()


@pytest.mark.parametrize("name", sorted(CRISIS_READS))
@pytest.mark.parametrize("how", ["option", "env", "secret-without-ops"])
def test_crisis_read_refused_below_its_clearance(
    secret_crisis: str, name: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = list(CRISIS_READS[name])
    if how == "option":
        args += ["--clearance", "public"]
    else:
        level = "public" if how == "env" else "secret"
        monkeypatch.setenv("CRISISCELL_CLEARANCE", level)
    result = runner.invoke(app, args)
    assert result.exit_code == NotVisible.exit_code, result.output
    assert "SECRETWORD" not in result.output
    assert "not visible at clearance" in result.stderr
    assert result.stdout == ""


def test_crisis_list_hides_and_owner_still_sees(secret_crisis: str) -> None:
    hidden = runner.invoke(app, ["crisis", "list", "--json", "--clearance", "public"])
    assert hidden.exit_code == 0 and json.loads(hidden.stdout) == []
    shown = runner.invoke(app, ["crisis", "show", CID, "--clearance", "secret:ops"])
    assert shown.exit_code == 0 and CID in shown.stdout


def test_close_archives_with_the_crisis_marking(secret_crisis: str) -> None:
    approve = ["crisis", "approve", CID, "--clearance", "secret:ops"]
    assert runner.invoke(app, approve).exit_code == 0
    close = ["crisis", "close", CID, "--resolution", "done", "--outcome", "none"]
    done = runner.invoke(app, [*close, "--clearance", "secret:ops"])
    assert done.exit_code == 0, done.output
    stored = [i for i in IncidentRepository(engine_for(Settings())).all() if CID in i.id]
    assert [(i.marking, i.compartments) for i in stored] == [("secret", ["ops"])]
    assert (
        runner.invoke(app, ["history", "show", stored[0].id, "--clearance", "secret"]).exit_code
        == 7
    )


def seed(records: list[Incident]) -> None:
    IncidentRepository(engine_for(Settings())).upsert(records, source="test")


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Incident]]:
    monkeypatch.setenv("CRISISCELL_HISTORY_DIR", str(tmp_path / "none"))
    monkeypatch.delenv("CRISISCELL_CLEARANCE", raising=False)
    records = [
        incident("INC-PUB", "Public fire", "A public summary", "IND.fire", marking="public"),
        incident("INC-SEC", "Secret SECRETWORD", "SECRETWORD", "IND.fire", marking="secret"),
    ]
    seed(records)
    yield records
    dispose_engines()


@pytest.mark.parametrize("how", ["option", "env"])
def test_history_hides_secret_incidents(
    archive: list[Incident], how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = ["--clearance", "public"] if how == "option" else []
    if how == "env":
        monkeypatch.setenv("CRISISCELL_CLEARANCE", "public")
    listed = runner.invoke(app, ["history", "list", "--json", *extra])
    assert listed.exit_code == 0, listed.output
    assert [i["id"] for i in json.loads(listed.stdout)] == ["INC-PUB"]
    table = runner.invoke(app, ["history", "list", *extra])
    assert "SECRETWORD" not in table.output and "INC-SEC" not in table.output
    shown = runner.invoke(app, ["history", "show", "INC-SEC", *extra])
    assert shown.exit_code == NotVisible.exit_code
    assert shown.stdout == "" and "SECRETWORD" not in shown.output
    assert "not visible at clearance public" in shown.stderr


def test_history_shows_secret_to_secret(archive: list[Incident]) -> None:
    shown = runner.invoke(app, ["history", "show", "INC-SEC", "--clearance", "secret"])
    assert shown.exit_code == 0 and "SECRETWORD" in shown.stdout


def test_bad_clearance_is_an_input_error(archive: list[Incident]) -> None:
    result = runner.invoke(app, ["history", "list", "--clearance", "top"])
    assert result.exit_code == 2 and "unknown clearance" in result.stderr
