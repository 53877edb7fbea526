"""``crisiscell history``: load the shipped archive, import your own, list and show incidents.

Mounted by :mod:`agent.cli`; usable alone as ``typer.main.get_command(app)``.
Every :class:`~agent.errors.CrisisCellError` is printed as ``error: ...`` on
stderr and ends the command with the error's ``exit_code``, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine

from agent.domain import Incident
from agent.errors import CrisisCellError, InputError
from agent.rules.need_to_know import Clearance, require_found, visible_incidents
from agent.settings import Settings
from agent.store.archive import ensure_archive, load_history
from agent.store.db import engine_for
from agent.store.importer import ImportResult, import_records
from agent.store.incidents import IncidentRepository, UpsertResult

app = typer.Typer(
    name="history",
    help="The incident archive: load the shipped one, import your own, list and show.",
    no_args_is_help=True,
)

_ERRORS_SHOWN = 20
_ALL = 1_000_000
"""Search without a limit, so hidden records never shorten a listing."""
ClearanceOpt = Annotated[
    str | None,
    typer.Option(
        "--clearance",
        help="public|internal|restricted|secret[:compartments] (default: CRISISCELL_CLEARANCE).",
    ),
]


class ImportFormat(StrEnum):
    """File formats ``history import`` reads."""

    csv = "csv"
    jsonl = "jsonl"


@contextmanager
def _cli_errors() -> Iterator[None]:
    """Turn crisiscell errors into a message on stderr and the error's exit code."""
    try:
        yield
    except CrisisCellError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _engine(settings: Settings, *, with_archive: bool = False) -> Engine:
    """The store's engine; with ``with_archive``, an empty store gets the shipped archive."""
    engine = engine_for(settings)
    if with_archive:
        ensure_archive(engine, settings.history_dir)
    return engine


def reader(clearance: str | None = None) -> tuple[Settings, Clearance]:
    """Settings and the clearance every read of the archive is filtered by (one mechanism)."""
    overrides: dict[str, Any] = {"clearance": clearance} if clearance else {}
    settings = Settings(**overrides)
    try:
        return settings, Clearance.parse(settings.clearance)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _echo_json(data: Any) -> None:
    """Print JSON on stdout, unwrapped so it can be piped."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("load")
def load(
    directory: Annotated[
        Path | None, typer.Option("--dir", help="History directory (default: settings).")
    ] = None,
) -> None:
    """Load the incident archive (YAML/JSONL) into the store; safe to run again."""
    with _cli_errors():
        settings = Settings()
        history_dir = directory or settings.history_dir
        result = load_history(engine_for(settings), history_dir)
    typer.echo(f"{history_dir}: {result}")


def _pairs(values: list[str], option: str) -> dict[str, str]:
    """``field=value`` options as a dict.

    Raises:
        InputError: an option has no ``=`` or an empty field name.
    """
    pairs: dict[str, str] = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            raise InputError(f"{option} {value!r}: expected FIELD=VALUE, e.g. summary=Narrative")
        pairs[name.strip()] = rest.strip()
    return pairs


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The CSV or JSONL file to import.")],
    fmt: Annotated[ImportFormat, typer.Option("--format", help="File format.")],
    mapping: Annotated[
        list[str], typer.Option("--map", help="FIELD=COLUMN (repeatable); JSONL: dotted paths.")
    ],
    default: Annotated[
        list[str] | None, typer.Option("--default", help="FIELD=VALUE for fields not in file.")
    ] = None,
    date_format: Annotated[
        str | None, typer.Option("--date-format", help="strptime format, e.g. %d/%m/%Y.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Nothing if a row is bad.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
) -> None:
    """Import an organisation's own incident archive through a field mapping."""
    with _cli_errors():
        result = import_records(
            file,
            fmt.value,
            _pairs(mapping, "--map"),
            _pairs(default or [], "--default"),
            date_format=date_format,
            strict=strict,
        )
        upserted = None
        if not dry_run:
            repository = IncidentRepository(_engine(Settings()))
            upserted = repository.upsert(result.incidents, source=file.name)
    if as_json:
        _echo_json(_import_report(file, result, upserted))
    else:
        _print_import(file, result, upserted)


def _import_report(file: Path, result: ImportResult, upserted: UpsertResult | None) -> Any:
    """The ``--json`` report of an import."""
    return {
        "file": str(file),
        "rows": result.rows,
        "valid": len(result.incidents),
        "skipped": len(result.errors),
        "errors": [{"row": e.row, "line": e.line, "message": e.message} for e in result.errors],
        "dry_run": upserted is None,
        "added": upserted.added if upserted else None,
        "updated": upserted.updated if upserted else None,
        "unchanged": upserted.unchanged if upserted else None,
    }


def _print_import(file: Path, result: ImportResult, upserted: UpsertResult | None) -> None:
    """The human report of an import: counts on stdout, skipped rows on stderr."""
    typer.echo(
        f"{file.name}: {result.rows} rows read, {len(result.incidents)} valid, "
        f"{len(result.errors)} skipped"
    )
    if result.errors:
        typer.echo(
            f"warning: {len(result.errors)} bad row(s) NOT imported "
            "(the valid rows were; use --strict to import nothing when a row is bad):",
            err=True,
        )
        for error in result.errors[:_ERRORS_SHOWN]:
            typer.echo(f"  {error}", err=True)
        if len(result.errors) > _ERRORS_SHOWN:
            typer.echo(
                f"  ... and {len(result.errors) - _ERRORS_SHOWN} more (see --json)", err=True
            )
    if upserted is None:
        typer.echo(
            f"dry run: nothing written; {len(result.incidents)} incident(s) would be imported"
        )
    else:
        typer.echo(f"imported: {upserted}")


@app.command("list")
def list_(
    family: Annotated[str | None, typer.Option("--family", help="Family, e.g. IND.")] = None,
    site: Annotated[str | None, typer.Option("--site", help="Site identifier.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words that must appear.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N incidents.")] = 50,
    clearance: ClearanceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the incidents this clearance may see, most recent first."""
    with _cli_errors():
        settings, held = reader(clearance)
        repository = IncidentRepository(_engine(settings, with_archive=True))
        found = repository.search(family=family, site=site, text=text, limit=_ALL)
        incidents = visible_incidents(found, held)[:limit]
    if as_json:
        _echo_json([i.model_dump(mode="json") for i in incidents])
        return
    Console().print(_incident_table(incidents))


def _incident_table(incidents: list[Incident]) -> Table:
    """A rich table of incidents: id, date, category, severity, site, title."""
    table = Table(title=f"{len(incidents)} incident(s)", title_justify="left")
    for header in ("id", "date", "category", "sev"):
        table.add_column(header, no_wrap=True)
    table.add_column("site", overflow="fold")
    table.add_column("title", overflow="fold", ratio=1)
    for i in incidents:
        table.add_row(
            Text(i.id),
            i.occurred_at.strftime("%Y-%m-%d"),
            i.category,
            i.severity,
            Text(i.site or "-"),
            Text(i.title),
        )
    return table


@app.command("show")
def show(
    incident_id: Annotated[str, typer.Argument(metavar="ID", help="The incident id.")],
    clearance: ClearanceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one incident: what happened, the actions in order, resolution and outcome."""
    with _cli_errors():
        settings, held = reader(clearance)
        repository = IncidentRepository(_engine(settings, with_archive=True))
        incident = _visible(repository, incident_id, held)
    if as_json:
        _echo_json(incident.model_dump(mode="json"))
        return
    Console(highlight=False).print(_incident_text(incident))


def _visible(repository: IncidentRepository, incident_id: str, held: Clearance) -> Incident:
    """The incident, through the need-to-know gate: missing and hidden read the same.

    Raises:
        NotVisible: no such incident, or one above ``held`` (the error does not say which).
    """
    found = repository.get(incident_id)
    marking = (found.marking, found.compartments) if found else None
    require_found(held, marking, f"incident {incident_id!r}")
    assert found is not None
    return found


def _incident_text(incident: Incident) -> Text:
    """An incident as readable text, sections in the order an operator reads them."""
    out = Text()
    out.append(f"{incident.id}  {incident.title}\n", style="bold")
    out.append(
        f"{incident.occurred_at:%Y-%m-%d %H:%M %Z} · {incident.category} · "
        f"{incident.severity} · site {incident.site or '-'} · {incident.marking}\n"
        f"source: {incident.source}\n"
    )
    _section(out, "Summary", [incident.summary])
    _section(
        out,
        "Actions",
        [
            _action_line(n, a.text, a.action_type, a.at)
            for n, a in enumerate(incident.actions, start=1)
        ],
    )
    _section(out, "Resolution", [incident.resolution])
    _section(out, "Outcome", [incident.outcome])
    _section(out, "Lessons", [f"- {lesson}" for lesson in incident.lessons])
    return out


def _section(out: Text, title: str, lines: list[str]) -> None:
    """Append a titled section, or nothing when it has no line."""
    if not lines:
        return
    out.append(f"\n{title}\n", style="bold underline")
    for line in lines:
        for part in line.splitlines() or [""]:
            out.append(f"  {part}\n")


def _action_line(number: int, text: str, action_type: str | None, at: timedelta | None) -> str:
    """``3. [T+01:30] (notify) Called the prefecture``."""
    parts = [f"{number}."]
    if at is not None:
        minutes = int(at.total_seconds() // 60)
        parts.append(f"[T+{minutes // 60:02d}:{minutes % 60:02d}]")
    if action_type:
        parts.append(f"({action_type})")
    parts.append(text)
    return " ".join(parts)
