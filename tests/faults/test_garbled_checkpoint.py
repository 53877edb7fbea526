"""A damaged checkpoint file is one clear line (exit 4), never a traceback."""

from __future__ import annotations

from typer.testing import CliRunner

from agent.cli import app
from agent.settings import Settings

runner = CliRunner()


def test_a_garbled_checkpoint_file_is_a_typed_error() -> None:
    opened = runner.invoke(
        app, ["crisis", "open", "Ammonia leak near compressor 3", "--site", "SITE-01",
              "--id", "CR-GARBLED"],
    )
    assert opened.exit_code == 0, opened.output
    checkpoints = Settings().home / "crisiscell.checkpoints.db"
    assert checkpoints.is_file()
    checkpoints.write_bytes(b"this is not a database, it was overwritten" * 100)
    for file in checkpoints.parent.glob("crisiscell.checkpoints.db-*"):  # WAL and shm files
        file.unlink()
    for args in (["crisis", "show", "CR-GARBLED"], ["crisis", "update", "CR-GARBLED", "wind"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 4, result.output
        assert "checkpoint store" in result.stderr and "cannot be read" in result.stderr
        assert "Traceback" not in result.output + result.stderr
