"""``crisiscell crisis ...``: durable crisis threads from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from agent.briefing import render_briefing
from agent.crisis.checkpoint import failure, interrupted
from agent.crisis.exports import ics201, ics201_markdown, ics214, ics214_markdown
from agent.crisis.notices import mark_notified
from agent.crisis.service import CrisisResult, CrisisService
from agent.domain import Scenario
from agent.errors import CrisisCellError, InputError
from agent.event_input import event_from_file, event_from_text
from agent.fact_overrides import check_overrides, parse_overrides
from agent.llm.base import flush_calls
from agent.safe_text import clean_line, strip_controls
from agent.settings import Settings

app = typer.Typer(
    name="crisis",
    no_args_is_help=True,
    help="Open a crisis, decide on its scenarios, update it, log and close it.",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AuthorOpt = Annotated[
    str | None,
    typer.Option("--author", help="Who decides (default: CRISISCELL_OPERATOR or OS user)."),
]
ClearanceOpt = Annotated[
    str | None, typer.Option("--clearance", help="public|internal|restricted|secret[:compartments]")
]


def settings(clearance: str | None = None, llm: str | None = None) -> Settings:
    """Settings with the CLI's overrides."""
    overrides: dict[str, Any] = {}
    if clearance:
        overrides["clearance"] = clearance
    if llm:
        overrides["llm"] = llm
    return Settings(**overrides)


def run(action: Callable[[CrisisService], Any], clearance: str | None = None) -> Any:
    """Run an action on a service; typed errors become one line and their exit code."""
    try:
        with CrisisService(settings(clearance)) as service:
            result = action(service)
            flush_calls(service.deps.llm)  # call-log rows written before anything is printed
            return result
    except CrisisCellError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


def show(result: CrisisResult, as_json: bool) -> None:
    """Print a crisis result: briefing and changes, or JSON."""
    if as_json:
        typer.echo(json.dumps(_result_json(result), indent=2, default=str))
        return
    if result.diff:
        typer.echo("Changes since the last suggestion:")
        typer.echo("\n".join(f"  {clean_line(line)}" for line in result.diff))
    if result.approval:
        a = result.approval
        verdict = "compliant" if a.compliant else "NOT compliant (forced)"
        title, who = clean_line(a.scenario.title), clean_line(a.author)
        typer.echo(f"Approved: {title} by {who} ({verdict})")
    if result.suggestion is not None:
        typer.echo(strip_controls(render_briefing(result.suggestion)))
    state = "waiting for a decision" if result.waiting else "not waiting"
    typer.echo(f"crisis {result.crisis.id} [{result.crisis.status}] {state}")


def _result_json(r: CrisisResult) -> dict[str, Any]:
    return {
        "crisis": r.crisis.model_dump(mode="json"),
        "waiting": r.waiting,
        "diff": r.diff,
        "approval": r.approval.model_dump(mode="json") if r.approval else None,
        "suggestion": r.suggestion.model_dump(mode="json") if r.suggestion else None,
        "entries": [e.model_dump(mode="json") for e in r.entries],
    }


@app.command("open")
def open_(
    text: Annotated[str | None, typer.Argument(help="Event text.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Event YAML/JSON.")] = None,
    site: Annotated[str | None, typer.Option(help="Site id or alias.")] = None,
    crisis_id: Annotated[str | None, typer.Option("--id", help="Crisis id to use.")] = None,
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Start a crisis thread; it pauses after the scenarios for a decision."""

    def action(service: CrisisService) -> CrisisResult:
        if file is not None:
            event = event_from_file(file)
        elif text is not None:
            event = event_from_text(text, "argument")
        else:
            raise InputError("give the event as TEXT or --file PATH")
        if site:
            event = event.model_copy(update={"site": site})
        return service.open(event, author=author, crisis_id=crisis_id)

    show(run(action, clearance), as_json)


@app.command()
def approve(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    scenario: Annotated[int, typer.Option("--scenario", help="Scenario number (1-3).")] = 1,
    edit: Annotated[
        Path | None,
        typer.Option(
            "--edit",
            help="YAML/JSON of the edited scenario (steps removed, added, re-owned, re-timed).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Approve an edit that breaks the SOPs.")] = False,
    rationale: Annotated[str | None, typer.Option(help="Why (required with --force).")] = None,
    accept_unvetted: Annotated[
        str | None,
        typer.Option(
            "--accept-unvetted",
            help="Comma-separated numbers of the scenario's unvetted model steps to add "
            "to the plan, in your name (e.g. 1,3).",
        ),
    ] = None,
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Approve one scenario, optionally edited (edits are re-checked against the SOPs)."""

    def action(service: CrisisService) -> CrisisResult:
        edited = _read_scenario(edit) if edit else None
        if force and not (rationale and rationale.strip()):
            raise InputError("--force needs a --rationale")
        return service.approve(
            crisis_id, scenario, author=author, edited=edited, force=force, rationale=rationale,
            accept_unvetted=_numbers(accept_unvetted),
        )

    show(run(action, clearance), as_json)


def _numbers(text: str | None) -> list[int]:
    """``"1,3"`` -> ``[1, 3]``; a clear error for anything else."""
    if not text:
        return []
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(f"--accept-unvetted takes numbers like 1,3, not {text!r}") from None


def _read_scenario(path: Path) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Scenario.model_validate(data)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise InputError(f"{path}: not a valid scenario: {exc}") from None


@app.command()
def reject(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the scenarios are rejected.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reject the current scenarios with a reason."""
    show(run(lambda s: s.reject(crisis_id, reason=reason, author=author), clearance), as_json)


@app.command()
def regenerate(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    guidance: Annotated[str, typer.Option("--guidance", help="What to do differently.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ask for new scenarios with guidance."""
    show(
        run(lambda s: s.regenerate(crisis_id, guidance=guidance, author=author), clearance), as_json
    )


@app.command()
def update(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    text: Annotated[str | None, typer.Argument(help="What is new.")] = None,
    facts: Annotated[
        list[str] | None,
        typer.Option("--facts", help="fact.path=value (repeatable), e.g. casualties.deaths=1"),
    ] = None,
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add new information; severity, category and scenarios are re-evaluated."""
    show(run(lambda s: s.update(
        crisis_id, text=text, facts=_checked_facts(s, facts or []), author=author
    ), clearance), as_json)


def _checked_facts(service: CrisisService, items: list[str]) -> dict[str, Any]:
    """``--facts`` as ``suggest --facts`` reads them: paths and types of the pack's registry."""
    given = parse_overrides(items)
    check_overrides(given, service.deps.pack.facts)
    return given


@app.command()
def deescalate(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    to: Annotated[str, typer.Option("--to", help="New severity level, e.g. S2.")],
    reason: Annotated[str, typer.Option("--reason", help="Why severity may come down.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Lower severity by an explicit, logged decision."""
    show(
        run(
            lambda s: s.deescalate(crisis_id, to_level=to, reason=reason, author=author), clearance
        ),
        as_json,
    )


@app.command()
def note(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    corrects: Annotated[int | None, typer.Option(help="Id of the entry this corrects.")] = None,
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a note (or a correction of an earlier entry) to the crisis log."""
    entry = run(lambda s: s.note(crisis_id, text, author=author, corrects=corrects), clearance)
    typer.echo(entry.model_dump_json(indent=2) if as_json else f"logged #{entry.id}")


@app.command()
def notified(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    recipient: Annotated[str, typer.Argument(help="Who was told, e.g. fire_rescue.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a due notification as done (once); it stops counting as overdue."""
    marked = run(lambda s: mark_notified(s, crisis_id, recipient, author=author), clearance)
    e = marked.entry
    told = f"#{e.id} by {clean_line(e.author)} at {e.at:%H:%M:%S}: {clean_line(e.summary)}"
    typer.echo(e.model_dump_json(indent=2) if as_json else
               ("logged " if marked.new else "already logged ") + told)


@app.command()
def close(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    resolution: Annotated[str, typer.Option("--resolution", help="How it was resolved.")],
    outcome: Annotated[str, typer.Option("--outcome", help="Casualties, damage, duration.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Close the crisis and add it to the incident archive."""
    show(
        run(
            lambda s: s.close(crisis_id, resolution=resolution, outcome=outcome, author=author),
            clearance,
        ),
        as_json,
    )


@app.command()
def retry(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a failed crisis again from its last checkpoint (or close it instead)."""
    show(run(lambda s: s.retry(crisis_id, author=author), clearance), as_json)


@app.command()
def log(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the crisis log (main courante)."""

    def action(service: CrisisService) -> dict[str, Any]:
        return ics214(service.require(crisis_id), service.entries(crisis_id))

    form = run(action, clearance)
    typer.echo(json.dumps(form, indent=2) if as_json else ics214_markdown(form))


@app.command()
def export(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    clearance: ClearanceOpt = None,
    form: Annotated[str, typer.Option("--form", help="ics201 or ics214.")] = "ics201",
    fmt: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="Write to a file.")] = None,
) -> None:
    """Export the ICS-201 briefing or the ICS-214 log as Markdown or JSON."""

    def action(service: CrisisService) -> dict[str, Any]:
        crisis = service.require(crisis_id)
        if form == "ics214":
            return ics214(crisis, service.entries(crisis_id))
        current = service.current(crisis_id)
        if current.suggestion is None:
            raise InputError(f"crisis {crisis_id} has no suggestion yet")
        return ics201(crisis, current.suggestion, current.approval, service.deps.pack)

    if form not in ("ics201", "ics214") or fmt not in ("md", "json"):
        typer.echo("error: --form is ics201|ics214 and --format is md|json", err=True)
        raise typer.Exit(InputError.exit_code)
    data = run(action, clearance)
    render = {"ics201": ics201_markdown, "ics214": ics214_markdown}[form]
    text = json.dumps(data, indent=2) if fmt == "json" else render(data)
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
    else:
        typer.echo(text)


@app.command("list")
def list_(clearance: ClearanceOpt = None, as_json: JsonOpt = False) -> None:
    """List the crises this clearance may see, newest first."""
    crises = run(lambda s: s.crises(), clearance)
    if as_json:
        typer.echo(json.dumps([c.model_dump(mode="json") for c in crises], indent=2))
        return
    for c in crises:
        typer.echo(f"{c.id}  {c.status:<6}  {c.opened_at:%Y-%m-%d %H:%M}  {c.title}")


@app.command("show")
def show_(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show where a crisis stands (and what a crash left half-done, if anything)."""
    result, crashed, failed = run(
        lambda s: (s.current(crisis_id), interrupted(s, crisis_id), failure(s, crisis_id)),
        clearance,
    )
    show(result, as_json)
    if as_json:
        return
    if failed:
        typer.echo(f"FAILED: {clean_line(failed)}")
    elif crashed:
        typer.echo(f"{crashed}: the next decision, update or `crisis open --id` resumes it")


@app.command()
def done(
    crisis_id: Annotated[str, typer.Argument(help="Crisis id.")],
    step: Annotated[str, typer.Argument(help="Step of the approved plan: 3, or SOP-ID/S03.")],
    author: AuthorOpt = None,
    clearance: ClearanceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a step of the approved plan as done (once), with who and when."""
    from agent.crisis.tasks import mark_done

    marked = run(lambda s: mark_done(s, crisis_id, step, author=author), clearance)
    e = marked.entry
    told = f"#{e.id} by {clean_line(e.author)} at {e.at:%H:%M:%S}: {clean_line(e.summary)}"
    typer.echo(e.model_dump_json(indent=2) if as_json else
               ("logged " if marked.new else "already logged ") + told)
