"""``crisiscell erg``: import the ERG 2024 green tables into the user's data dir (never shipped).

``erg import FOLDER`` reads ``green_table_1.json`` and, when they are there,
``green_table_2.json`` (water-reactive materials) and ``green_table_3.json`` (large
spills by container); ``erg import FILE`` reads Table 1, ``--table2``/``--table3`` name
the others. Exit codes: 0 imported, 2 a file is not the table it should be (nothing
written).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from agent.errors import CrisisCellError, InputError
from agent.rules.erg import SOURCE, ErgTable, parse_table1, table_path, with_tables
from agent.settings import Settings

app = typer.Typer(
    name="erg", no_args_is_help=True, add_completion=False, help="ERG protective distances."
)
TABLE1_NAME = "green_table_1.json"
TABLE2_NAME = "green_table_2.json"
TABLE3_NAME = "green_table_3.json"


@app.command("import")
def import_table(
    path: Annotated[Path, typer.Argument(help=f"{TABLE1_NAME}, or the folder holding it.")],
    table2: Annotated[
        Path | None, typer.Option("--table2", help=f"Table 2 (default: {TABLE2_NAME} beside).")
    ] = None,
    table3: Annotated[
        Path | None, typer.Option("--table3", help=f"Table 3 (default: {TABLE3_NAME} beside).")
    ] = None,
) -> None:
    """Build the local tables from the operator's copy of the ERG; their source is recorded."""
    folder = path if path.is_dir() else None
    third, second = _beside(folder, table3, TABLE3_NAME), _beside(folder, table2, TABLE2_NAME)
    try:
        table = with_tables(
            read_table1(path),
            _optional(third, "Table 3"),
            _optional(second, "Table 2"),
            (str(third), str(second)),
        )
        out = write_table(table, Settings().home)
    except CrisisCellError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"imported {len(table.rows)} UN numbers from {path} into {out} ({SOURCE})")
    if table.large_spills:
        typer.echo(f"  Table 3: {len(table.large_spills)} gases by container, from {third}")
    if table.water_reactive:
        count = len(table.water_reactive)
        typer.echo(f"  Table 2: {count} water-reactive materials, from {second}")


def _beside(folder: Path | None, given: Path | None, name: str) -> Path | None:
    """The file named on the command line, else the one in the folder, if there is one."""
    if given is not None:
        return given
    found = folder / name if folder is not None else None
    return found if found is not None and found.is_file() else None


def _optional(path: Path | None, what: str) -> object | None:
    return None if path is None else _read_json(path, what)


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot read an ERG {what} JSON: {exc}") from exc


def read_table1(path: Path) -> ErgTable:
    """Table 1 read from a JSON file (or ``green_table_1.json`` in a folder)."""
    source = path / TABLE1_NAME if path.is_dir() else path
    return parse_table1(_read_json(source, "Table 1"), str(source))


def write_table(table: ErgTable, home: Path) -> Path:
    """Write the table atomically: a crash leaves the old table or the new, never half."""
    target = table_path(home)
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".erg-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(table.model_dump_json())
    os.replace(tmp, target)
    return target
