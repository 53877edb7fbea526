"""``crisiscell eval`` is mounted from the evals package, never imported by agent statically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from agent.cli import EVAL_HELP, app, mount_eval

runner = CliRunner()
COMMANDS = ("run", "compare", "list", "gate", "redteam", "baseline", "build-archive-suite")


def _bare() -> typer.Typer:
    target = typer.Typer(no_args_is_help=True, add_completion=False)

    @target.command()
    def version() -> None:
        """Keep a second command so the group is a group."""

    return target


def test_eval_commands_come_from_evals_cli() -> None:
    import evals.cli

    top = typer.main.get_group(app)
    mounted = top.get_command(typer.Context(top), "eval")
    assert mounted is not None and mounted.help == EVAL_HELP
    group = typer.main.get_group(evals.cli.app)
    assert sorted(group.commands) == sorted(COMMANDS)
    assert sorted(getattr(mounted, "commands", {})) == sorted(COMMANDS)
    result = runner.invoke(app, ["eval", "--help"])
    assert result.exit_code == 0
    assert all(name in result.output for name in COMMANDS)


def test_without_evals_the_eval_command_says_so() -> None:
    target = _bare()
    mount_eval(target, "crisiscell_absent_evals.cli")
    for args in (["eval"], ["eval", "run", "archive", "--llm", "offline"], ["eval", "--help"]):
        result = runner.invoke(target, args)
        assert result.exit_code == 1, args
        assert "needs the evals package" in result.output
        assert "Traceback" not in result.output


def test_a_broken_evals_install_is_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "broken_evals"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("import crisiscell_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="crisiscell_missing_dependency"):
        mount_eval(_bare(), "broken_evals.cli")
    sys.modules.pop("broken_evals", None)


def test_suggest_imports_no_model_client_crisis_store_or_evals() -> None:
    """Offline ``suggest`` pays only for what it runs (issue 11's cold start)."""
    code = (
        "import atexit, sys\n"
        "from agent.cli import main\n"
        "sys.argv = ['crisiscell', 'suggest', 'Ammonia smell near the compressor room']\n"
        "atexit.register(lambda: print('HEAVY', [m for m in ('langchain_openai', 'openai', "
        "'streamlit', 'evals', 'agent.cli_crisis', 'agent.crisis.service') "
        "if m in sys.modules]))\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "HEAVY []" in done.stdout, done.stdout[-500:]


def test_every_group_is_listed_in_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("sops", "history", "llm", "crisis", "eval", "roster", "erg", "ui"):
        assert name in result.output
