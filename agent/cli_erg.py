"""``crisiscell erg``: import ERG 2024 Table 1 into the user's data dir (never shipped).

Exit codes of ``erg import``: 0 imported, 2 the file is not an ERG Table 1 (nothing written).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from agent.errors import CrisisCellError, InputError
from agent.rules.erg import SOURCE, ErgTable, parse_table1, table_path
from agent.settings import Settings

app = typer.Typer(
    name="erg", no_args_is_help=True, add_completion=False, help="ERG protective distances."
)
TABLE1_NAME = "green_table_1.json"


@app.command("import")
def import_table(
    path: Annotated[Path, typer.Argument(help=f"{TABLE1_NAME}, or the folder holding it.")],
) -> None:
    """Build the local Table 1 from the operator's copy of the ERG; its source is recorded."""
    try:
        table = read_table1(path)
        out = write_table(table, Settings().home)
    except CrisisCellError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"imported {len(table.rows)} UN numbers from {path} into {out} ({SOURCE})")


def read_table1(path: Path) -> ErgTable:
    """Table 1 read from a JSON file (or ``green_table_1.json`` in a folder)."""
    source = path / TABLE1_NAME if path.is_dir() else path
    try:
        data = json.loads(source.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{source}: cannot read an ERG Table 1 JSON: {exc}") from exc
    return parse_table1(data, str(source))


def write_table(table: ErgTable, home: Path) -> Path:
    """Write the table atomically: a crash leaves the old table or the new, never half."""
    target = table_path(home)
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".erg-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(table.model_dump_json())
    os.replace(tmp, target)
    return target
