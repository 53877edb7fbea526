"""``crisiscell llm``: check the configured model, and read the model call log.

Exit codes of ``llm check``: 0 the model answers with a valid tool call (or the
backend is offline), 1 it answers but structured output does not work, 5 it
does not answer, 3 the configuration is wrong.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from agent.errors import ConfigError, CrisisCellError, LLMError
from agent.llm.calls import LLMCall, MemoryRecorder
from agent.llm.factory import make_llm
from agent.llm.openai_compatible import OpenAICompatibleLLM, Probe
from agent.llm.send_policy import unwrap
from agent.settings import Settings

app = typer.Typer(
    name="llm", no_args_is_help=True, add_completion=False, help="Check the configured model."
)

CLEARANCE_HELP = "Need-to-know: public|internal|restricted|secret[:compartments]."
LLM_HELP = "Backend: 'offline' or 'provider:model' (overrides CRISISCELL_LLM)."
STRUCTURED_FAILS = 1


def _settings(llm: str | None) -> Settings:
    return Settings(llm=llm) if llm else Settings()


@app.command()
def check(
    llm: Annotated[str | None, typer.Option("--llm", help=LLM_HELP)] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the answer.")] = 15.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Send one small structured-output request; report model, latency and whether it works."""
    try:
        backend = unwrap(make_llm(_settings(llm), recorder=MemoryRecorder()))
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    if not isinstance(backend, OpenAICompatibleLLM):
        typer.echo(f"model: {backend.name} (deterministic rules, no network): nothing to check")
        return
    probe = backend.probe(timeout)
    typer.echo(json.dumps(probe.__dict__) if as_json else _report(probe))
    if not probe.answered:
        raise typer.Exit(LLMError.exit_code)
    if not probe.structured:
        raise typer.Exit(STRUCTURED_FAILS)


def _report(probe: Probe) -> str:
    """Human-readable check result."""
    lines = [
        f"model: {probe.model}",
        f"endpoint: {probe.base_url or 'https://api.openai.com/v1'}",
        f"answered: {'yes' if probe.answered else 'no'} ({probe.latency_ms:.0f} ms round trip)",
        f"structured output (function calling): {'ok' if probe.structured else 'FAILED'}",
    ]
    if probe.error:
        lines.append(f"error: {probe.error}")
    return "\n".join(lines)


@app.command()
def calls(
    run_id: Annotated[str | None, typer.Argument(help="Only the calls of this run.")] = None,
    limit: Annotated[int, typer.Option(help="How many recent calls.")] = 20,
    clearance: Annotated[str | None, typer.Option(help=CLEARANCE_HELP)] = None,
) -> None:
    """List logged model calls: node, model, prompt, tokens, latency, error.

    Only the calls of runs the clearance may see; a run id that is missing or hidden
    is refused alike (exit 7), and hidden calls of a listing are counted, not shown.
    """
    try:
        found, hidden = _visible_calls(_reader_settings(clearance), run_id, limit)
    except CrisisCellError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    for c in found:
        outcome = c.error or f"{c.input_tokens}+{c.output_tokens} tokens"
        typer.echo(
            f"{c.created_at:%Y-%m-%d %H:%M:%S} {c.run_id} {c.node:<10} {c.model} "
            f"{c.prompt_id}@{c.prompt_hash[:12]} {c.latency_ms:.0f} ms {outcome}"
        )
    if hidden:
        typer.echo(f"{hidden} call(s) of runs not visible at this clearance not shown", err=True)


def _reader_settings(clearance: str | None) -> Settings:
    return Settings(clearance=clearance) if clearance else Settings()


def _visible_calls(
    settings: Settings, run_id: str | None, limit: int
) -> tuple[list[LLMCall], int]:
    """The calls to print and how many were hidden, through the need-to-know gate of runs."""
    from agent.crisis.explain import caller_clearance, run_is_visible, visible_run
    from agent.store.db import engine_for
    from agent.store.llm_calls import LLMCallRepository
    from agent.store.suggestions import SuggestionRepository

    engine = engine_for(settings)
    held, runs = caller_clearance(settings), SuggestionRepository(engine)
    repo = LLMCallRepository(engine)
    if run_id:
        visible_run(runs, run_id, held)
        return repo.for_run(run_id), 0
    recent = repo.recent(limit)
    seen = {r: run_is_visible(runs, r, held) for r in {c.run_id for c in recent}}
    shown = [c for c in recent if seen[c.run_id]]
    return shown, len(recent) - len(shown)
