"""The ``crisiscell`` command line: suggest, demo, and the sops/history sub-commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from agent import __version__
from agent.briefing import render_briefing
from agent.domain import Event, Suggestion
from agent.errors import CrisisCellError
from agent.event_input import event_from_bytes, event_from_file, event_from_text
from agent.settings import Settings

app = typer.Typer(
    name="crisiscell",
    no_args_is_help=True,
    add_completion=False,
    help="Crisis decision support: categorise, find precedents, propose "
    "SOP-compliant scenarios. Works offline by default.",
)

LLM_HELP = "Backend: 'offline' (default) or 'provider:model' (overrides CRISISCELL_LLM)."
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples" / "events"


def _mount_subcommands() -> None:
    from agent.cli_history import app as history_app
    from agent.cli_sops import app as sops_app

    app.add_typer(sops_app, name="sops", help="Lint the SOP pack and generate its JSON Schemas.")
    app.add_typer(history_app, name="history", help="Load, import and browse the archive.")


def fail(error: CrisisCellError) -> typer.Exit:
    """Print a typed error as one clear line and return the exit to raise."""
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(error.exit_code)


def _read_event(text: str | None, file: Path | None, site: str | None) -> Event:
    extra: dict[str, Any] = {"site": site} if site else {}
    if file is not None:
        event = event_from_file(file)
        return event.model_copy(update=extra) if extra else event
    if text is None:
        raise typer.BadParameter("give the event as TEXT, --file PATH, or '-' for stdin")
    if text == "-":
        return event_from_bytes(sys.stdin.buffer.read(), "stdin", **extra)
    return event_from_text(text, "argument", **extra)


def _settings(llm: str | None) -> Settings:
    """Settings from the environment and crisiscell.toml, with CLI overrides."""
    return Settings(llm=llm) if llm else Settings()


def _suggester(settings: Settings) -> Any:
    from agent.service import Suggester

    return Suggester(settings=settings)


def _print(suggestion: Suggestion, as_json: bool) -> None:
    if as_json:
        typer.echo(suggestion.model_dump_json(indent=2))
    else:
        typer.echo(render_briefing(suggestion))


@app.command()
def suggest(
    text: Annotated[str | None, typer.Argument(help="Event text, or '-' to read stdin.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Event YAML/JSON file.")] = None,
    site: Annotated[
        str | None, typer.Option(help="Site id or alias (see sops/sites.yaml).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Suggestion as JSON.")] = False,
    llm: Annotated[str | None, typer.Option("--llm", help=LLM_HELP)] = None,
) -> None:
    """Categorise an event, score severity, find precedents and propose scenarios."""
    try:
        event = _read_event(text, file, site)
        suggestion = _suggester(_settings(llm)).suggest(event)
    except CrisisCellError as exc:
        raise fail(exc) from None
    _print(suggestion, as_json)


@app.command()
def demo(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print Suggestions as JSON lines.")
    ] = False,
    limit: Annotated[int, typer.Option(help="How many shipped examples to run.")] = 3,
    llm: Annotated[str | None, typer.Option("--llm", help=LLM_HELP)] = None,
) -> None:
    """Run shipped example events through the pipeline (offline unless --llm says otherwise)."""
    files = sorted(EXAMPLES_DIR.glob("*.yaml"))[:limit]
    if not files:
        raise fail(CrisisCellError(f"no example events under {EXAMPLES_DIR}"))
    try:
        suggester = _suggester(_settings(llm))
        for path in files:
            suggestion = suggester.suggest(event_from_file(path))
            if as_json:
                typer.echo(suggestion.model_dump_json())
            else:
                typer.echo(f"\n### {path.name}")
                typer.echo(render_briefing(suggestion))
    except CrisisCellError as exc:
        raise fail(exc) from None


@app.command()
def version() -> None:
    """Print the crisiscell version."""
    typer.echo(__version__)


_mount_subcommands()


def main() -> None:
    """Console-script entry point."""
    app()
