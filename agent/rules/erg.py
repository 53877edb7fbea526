"""Protective-action distances from ERG 2024 Table 1, when a UN number is known.

The copy of the ERG text we can read declares no licence, so none of it ships with
crisiscell: ``crisiscell erg import PATH`` builds a local table in the user's data dir
(``<home>/erg_table1.json``) from the operator's own copy, with its source named. With no
table there, there are no distances, and nothing fails.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain import ProtectiveDistances
from agent.errors import InputError

TABLE_FILE = "erg_table1.json"
SOURCE = (
    "ERG 2024 Table 1, initial isolation and protective action distances "
    "(US DOT/PHMSA, Transport Canada, SCT Mexico)"
)


class Spill(BaseModel):
    """One column group of Table 1: a small or a large spill."""

    model_config = ConfigDict(extra="ignore")

    isolation_distance: str | None = None
    protect_day: str | None = None
    protect_night: str | None = None
    note: str | None = None

    def summary(self) -> str:
        """``isolate 60 m (200 ft); protect downwind 0.3 km (0.2 mi) day, 1.1 km night``."""
        if self.isolation_distance is None:
            return self.note or "not in Table 1"
        return (
            f"isolate {self.isolation_distance} all round; protect downwind "
            f"{self.protect_day or '?'} by day, {self.protect_night or '?'} by night"
        )


class Row(BaseModel):
    """One UN number of Table 1."""

    model_config = ConfigDict(extra="ignore")

    guide_no: str | None = None
    material_name: str
    small_spill: Spill | None = None
    large_spill: Spill | None = None


class ErgTable(BaseModel):
    """The imported table: rows by UN number, and where they came from."""

    source: str = SOURCE
    imported_from: str
    imported_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    rows: dict[str, Row]


def parse_table1(data: Any, origin: str) -> ErgTable:
    """Table 1 from its JSON (``{"1005": {guide_no, material_name, small_spill, ...}}``)."""
    if not isinstance(data, dict) or not data:
        raise InputError(f"{origin}: not an ERG Table 1 (a JSON object keyed by UN number)")
    try:
        rows = {_un(key, origin): Row.model_validate(value) for key, value in data.items()}
    except ValidationError as exc:
        raise InputError(f"{origin}: not an ERG Table 1 row: {exc.errors()[0]['msg']}") from exc
    return ErgTable(imported_from=origin, rows=rows)


def _un(key: str, origin: str) -> str:
    un = str(key).upper().removeprefix("UN").strip()
    if not (len(un) == 4 and un.isdigit()):
        raise InputError(f"{origin}: '{key}' is not a UN number")
    return un


def table_path(home: Path) -> Path:
    """Where the imported table lives in the user's data dir."""
    return home / TABLE_FILE


def load_table(home: Path) -> ErgTable | None:
    """The imported table, or None when none was imported (or it cannot be read)."""
    path = table_path(home)
    if not path.is_file():
        return None
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> ErgTable | None:
    try:
        return ErgTable.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return None


def distances(table: ErgTable | None, un: object) -> ProtectiveDistances | None:
    """Table 1 distances for a UN number, with their source; None without table or row."""
    if table is None or un is None:
        return None
    row = table.rows.get(str(un).upper().removeprefix("UN").strip())
    if row is None:
        return None
    return ProtectiveDistances(
        un=str(un),
        material=row.material_name,
        guide=row.guide_no,
        small_spill=row.small_spill.summary() if row.small_spill else None,
        large_spill=row.large_spill.summary() if row.large_spill else None,
        source=f"{table.source}; imported from {table.imported_from}",
        unknowns=["spill size (small or large)", "day or night, wind speed"],
    )


__all__ = ["SOURCE", "ErgTable", "distances", "load_table", "parse_table1", "table_path"]
