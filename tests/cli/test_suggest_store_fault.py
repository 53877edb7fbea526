"""A store that cannot be written costs the record of a suggestion, never the briefing."""

from __future__ import annotations

import sqlite3

from typer.testing import CliRunner

from agent.cli import app
from agent.settings import Settings
from agent.store.db import engine_for

runner = CliRunner()
EVENT = "Ammonia leak near compressor 3, vapour cloud"


def test_suggest_prints_its_briefing_when_the_store_refuses_writes() -> None:
    first = runner.invoke(app, ["suggest", EVENT])  # creates the store and loads the archive
    assert first.exit_code == 0, first.output
    url = engine_for(Settings()).url
    with sqlite3.connect(str(url.database)) as db:  # the disk fills up: every insert fails
        db.execute(
            "CREATE TRIGGER full BEFORE INSERT ON suggestions "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    result = runner.invoke(app, ["suggest", EVENT])
    assert result.exit_code == 0, result.output
    assert "CRISISCELL BRIEFING" in result.stdout
    assert "warning: this suggestion is not stored" in result.stderr
    assert "disk is full" in result.stderr
