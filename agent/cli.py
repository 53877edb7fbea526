"""The ``crisiscell`` command line: suggest, demo, and the sops/history sub-commands."""

from __future__ import annotations

import gc
import importlib
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from agent import __version__
from agent.errors import CrisisCellError
from agent.safe_text import strip_controls
from agent.settings import Settings

if TYPE_CHECKING:
    from agent.domain import Event, Suggestion

CLEARANCE_HELP = "Need-to-know: public|internal|restricted|secret[:compartments]."
CRISIS_HELP = "Open this crisis (or update it if it exists) instead of a one-off suggestion."
FACTS_HELP = (
    "State or correct a fact, path=value (repeatable; wins over the text; an empty value "
    "makes it unknown), e.g. effects.offsite=true"
)
LLM_HELP = "Backend: 'offline' (default) or 'provider:model' (overrides CRISISCELL_LLM)."
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples" / "events"


Mount = Callable[[typer.Typer], None]


def _group(module: str, name: str, help_text: str) -> Mount:
    """Mount ``crisiscell NAME``: the Typer app ``app`` of ``module``."""

    def mount(target: typer.Typer) -> None:
        target.add_typer(importlib.import_module(module).app, name=name, help=help_text)

    return mount


def _mount_ui(target: typer.Typer) -> None:
    from agent.cli_ui import ui as ui_command

    target.command("ui", help="Start the operator console (Streamlit).")(ui_command)


SUBCOMMANDS: dict[str, Mount] = {
    "sops": _group("agent.cli_sops", "sops", "Lint the SOP pack and generate its JSON Schemas."),
    "history": _group("agent.cli_history", "history", "Load, import and browse the archive."),
    "llm": _group("agent.cli_llm", "llm", "Check the configured model; list logged calls."),
    "crisis": _group("agent.cli_crisis", "crisis", "Durable crisis threads: decide, update, log."),
    "eval": lambda target: mount_eval(target),
    "roster": _group("agent.cli_roster", "roster", "Who may sign in to the console, and as what."),
    "erg": _group("agent.cli_erg", "erg", "Import ERG protective distances (local, not shipped)."),
    "ui": _mount_ui,
}
"""Command groups imported only when named: ``crisiscell suggest`` must not pay for the
model client, the crisis store or the evals package (issue 11's cold start)."""


class LazyGroup(TyperGroup):
    """The top-level group: the groups of :data:`SUBCOMMANDS` load on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command, the lazy groups after the ones defined here."""
        return [*super().list_commands(ctx), *(n for n in SUBCOMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command named, importing its group the first time it is asked for."""
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in SUBCOMMANDS:
            holder = typer.Typer()
            SUBCOMMANDS[cmd_name](holder)
            found = typer.main.get_group(holder).commands[cmd_name]
            self.add_command(found, cmd_name)
        return found


app = typer.Typer(
    cls=LazyGroup,
    name="crisiscell",
    no_args_is_help=True,
    add_completion=False,
    help="Crisis decision support: categorise, find precedents, propose "
    "SOP-compliant scenarios. Works offline by default.",
)


EVAL_HELP = "Replay past crises as evals; compare; CI gate."
EVAL_MODULE = "evals.cli"
"""Where ``crisiscell eval`` lives: the evals package, on top of agent (never imported here)."""


def mount_eval(target: typer.Typer, module: str = EVAL_MODULE) -> None:
    """Mount ``crisiscell eval`` from the evals package, or a stub saying it is not installed.

    ``agent`` never imports ``evals`` statically (see docs/architecture.md): the
    group is looked up by name at start-up, so an install without it still runs.
    """
    try:
        eval_app = importlib.import_module(module).app
    except ModuleNotFoundError as exc:
        if exc.name is None or not f"{module}.".startswith(f"{exc.name}."):
            raise  # evals is there but one of its own imports is broken: show it
        target.command(
            "eval",
            help=f"{EVAL_HELP} (not installed)",
            context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
            add_help_option=False,
        )(_eval_missing(module))
        return
    target.add_typer(eval_app, name="eval", help=EVAL_HELP)


def _eval_missing(module: str) -> Callable[[], None]:
    """The stub ``crisiscell eval``: one clear line, exit 1, whatever the arguments."""

    def missing() -> None:
        typer.echo(
            f"error: 'crisiscell eval' needs the evals package ({module} cannot be imported); "
            "install crisiscell from a source checkout with `uv sync`",
            err=True,
        )
        raise typer.Exit(CrisisCellError.exit_code)

    return missing


def fail(error: CrisisCellError) -> typer.Exit:
    """Print a typed error as one clear line and return the exit to raise."""
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(error.exit_code)


def _read_event(text: str | None, file: Path | None, site: str | None) -> Event:
    from agent.event_input import event_from_bytes, event_from_file, event_from_text

    extra: dict[str, Any] = {"site": site} if site else {}
    if file is not None:
        event = event_from_file(file)
        return event.model_copy(update=extra) if extra else event
    if text is None:
        raise typer.BadParameter("give the event as TEXT, --file PATH, or '-' for stdin")
    if text == "-":
        return event_from_bytes(sys.stdin.buffer.read(), "stdin", **extra)
    return event_from_text(text, "argument", **extra)


def _settings(llm: str | None, clearance: str | None = None) -> Settings:
    """Settings from the environment and crisiscell.toml, with CLI overrides."""
    overrides: dict[str, Any] = {k: v for k, v in (("llm", llm), ("clearance", clearance)) if v}
    return Settings(**overrides)


def _suggester(settings: Settings) -> Any:
    from agent.service import Suggester

    return Suggester(settings=settings)


def _store(suggestion: Suggestion, settings: Settings) -> None:
    """Keep the suggestion so ``crisiscell explain RUN_ID`` can answer later."""
    from agent.store.db import engine_for
    from agent.store.suggestions import SuggestionRepository

    SuggestionRepository(engine_for(settings)).save(suggestion)


def _store_or_warn(suggestion: Suggestion, settings: Settings) -> None:
    """Store the suggestion; a store that cannot be written costs the record, not the answer."""
    from agent.errors import StoreError

    try:
        _store(suggestion, settings)
    except StoreError as exc:
        typer.echo(
            f"warning: this suggestion is not stored ({exc}); the briefing follows, but "
            f"'crisiscell explain {suggestion.lineage.run_id}' will not find it",
            err=True,
        )


def _print(suggestion: Suggestion, as_json: bool) -> None:
    if as_json:
        typer.echo(suggestion.model_dump_json(indent=2))
    else:
        typer.echo(_briefing(suggestion))


def _briefing(suggestion: Suggestion) -> str:
    """The text briefing; the renderer (and the rules it reads) load only when printing one."""
    from agent.briefing import render_briefing

    return strip_controls(render_briefing(suggestion))


def _flush_calls(llm: Any) -> None:
    """Write the model call log now (imported here: ``--help`` never loads the LLM seam)."""
    from agent.llm.base import flush_calls

    flush_calls(llm)


@app.command()
def suggest(
    text: Annotated[str | None, typer.Argument(help="Event text, or '-' to read stdin.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Event YAML/JSON file.")] = None,
    site: Annotated[
        str | None, typer.Option(help="Site id or alias (see sops/sites.yaml).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Suggestion as JSON.")] = False,
    llm: Annotated[str | None, typer.Option("--llm", help=LLM_HELP)] = None,
    clearance: Annotated[str | None, typer.Option(help=CLEARANCE_HELP)] = None,
    crisis: Annotated[str | None, typer.Option("--crisis", help=CRISIS_HELP)] = None,
    facts: Annotated[list[str] | None, typer.Option("--facts", help=FACTS_HELP)] = None,
) -> None:
    """Categorise an event, score severity, find precedents and propose scenarios."""
    settings = _settings(llm, clearance)
    try:
        event = _with_facts(_read_event(text, file, site), facts or [], settings)
        if crisis:
            suggestion = _on_crisis(crisis, event, settings)
        else:
            suggester = _suggester(settings)
            suggestion = suggester.suggest(event)
            _store_or_warn(suggestion, settings)
            _flush_calls(suggester.deps.llm)  # call-log rows are written before the answer
    except CrisisCellError as exc:
        raise fail(exc) from None
    _print(suggestion, as_json)


def _with_facts(event: Event, items: list[str], settings: Settings) -> Event:
    """The event with the operator's ``--facts``, which win over what the text says."""
    if not items:
        return event
    from agent.fact_overrides import overrides
    from agent.rules.facts import flatten

    given = overrides(items, settings.sops_dir)
    return event.model_copy(update={"facts": {**flatten(event.facts), **given}})


def _on_crisis(crisis_id: str, event: Event, settings: Settings) -> Suggestion:
    """Open crisis ``crisis_id`` with this event, or add the event to it as an update."""
    from agent.crisis.service import CrisisService

    with CrisisService(settings) as service:
        result = service.open_or_update(crisis_id, event)  # a hidden id: exit 7, as elsewhere
        _flush_calls(service.deps.llm)
    assert result.suggestion is not None
    return result.suggestion


@app.command()
def explain(
    run_id: Annotated[str, typer.Argument(help="Run id (lineage.run_id of a suggestion).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    clearance: Annotated[str | None, typer.Option(help=CLEARANCE_HELP)] = None,
) -> None:
    """Say where a stored suggestion came from: SOPs, precedents, rules, model, prompts."""
    import json

    from agent.crisis.explain import caller_clearance, explain_json, visible_run
    from agent.crisis.explain import explain as explain_lines
    from agent.store.db import engine_for
    from agent.store.suggestions import SuggestionRepository

    try:
        settings = _settings(None, clearance)
        repository = SuggestionRepository(engine_for(settings))
        stored = visible_run(repository, run_id, caller_clearance(settings))
    except CrisisCellError as exc:
        raise fail(exc) from None
    typer.echo(
        json.dumps(explain_json(stored), indent=2) if as_json else "\n".join(explain_lines(stored))
    )


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
    from agent.event_input import event_from_file

    try:
        suggester = _suggester(_settings(llm))
        for path in files:
            suggestion = suggester.suggest(event_from_file(path))
            _flush_calls(suggester.deps.llm)
            if as_json:
                typer.echo(suggestion.model_dump_json())
            else:
                typer.echo(f"\n### {path.name}")
                typer.echo(_briefing(suggestion))
    except CrisisCellError as exc:
        raise fail(exc) from None


@app.command()
def version() -> None:
    """Print the crisiscell version."""
    typer.echo(__version__)


COLLECT_EVERY = 50_000
"""Allocations between two young-generation collections in a CLI process (Python's is 700)."""


def main() -> None:
    """Console-script entry point; SIGTERM exits cleanly, so exit handlers still run.

    Importing what a command needs creates a few hundred thousand objects that live as
    long as the process; at Python's default pace the cyclic collector walks them over
    and over while they are created (about 0.1 s of a cold ``crisiscell suggest``,
    measured). Reference counting still frees everything else at once. Once the command
    is done, the process ends without the interpreter's teardown (another 0.2 s):
    see :mod:`agent.fast_exit`.
    """
    from agent.fast_exit import exit_now

    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except SystemExit as done:
        exit_now(done.code)
    exit_now(0)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM as a normal exit (128 + 15): the call log's exit flush still runs."""
    raise SystemExit(128 + signum)
