"""Protective-action distances from the ERG 2024 green tables, when a UN number is known.

Table 1 gives isolation and protective-action distances by UN number for small and
large spills; for the six gases shipped in bulk (ammonia, chlorine...) its large-spill
column says "refer to Table 3", which gives them by container (rail tank car, road
tanker...) and wind speed. Table 2 lists the materials that give off a toxic gas when
spilled in water. The copy of the ERG text we can read declares no licence, so none of
it ships with crisiscell: ``crisiscell erg import PATH`` builds a local table in the
user's data dir (``<home>/erg_table1.json``) from the operator's own copy, with its
source named. With no table there, there are no distances, and nothing fails.
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
TABLE2_SOURCE = "ERG 2024 Table 2, water-reactive materials which produce toxic gases"
TABLE3_SOURCE = "ERG 2024 Table 3, large spills of six common TIH gases, by container"
WINDS = ("low_wind", "moderate_wind", "high_wind")
WIND_NOTE = "wind low < 10 km/h, moderate 10-20 km/h, high > 20 km/h"
CONTAINERS = {
    "rail": "Rail tank car",
    "road": "Highway tank truck or trailer",
}
"""The Table 3 container a transport mode read from the report points to."""


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


class Container(BaseModel):
    """One container of Table 3: isolation, and downwind distances by wind, day and night."""

    model_config = ConfigDict(extra="ignore")

    type: str
    initial_isolation_m: float
    day_km: dict[str, float]
    night_km: dict[str, float]

    def summary(self) -> str:
        """``Rail tank car: isolate 1000 m; protect downwind 9.6 / 6.3 / 5.1 km by day, ...``."""
        day = " / ".join(_km(self.day_km.get(w)) for w in WINDS)
        night = " / ".join(_km(self.night_km.get(w)) for w in WINDS)
        return (
            f"{self.type}: isolate {self.initial_isolation_m:g} m; protect downwind {day} km "
            f"by day, {night} km by night (low / moderate / high wind)"
        )


class WaterReactive(BaseModel):
    """One material of Table 2 and the toxic gases it gives off in water."""

    model_config = ConfigDict(extra="ignore")

    guide_no: str | None = None
    material_name: str
    tih_gases: list[str] = Field(min_length=1)


class ErgTable(BaseModel):
    """The imported tables: rows by UN number, and where they came from."""

    source: str = SOURCE
    imported_from: str
    imported_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    rows: dict[str, Row]
    large_spills: dict[str, list[Container]] = Field(default_factory=dict)
    """Table 3 by UN number (empty when it was not imported)."""
    water_reactive: dict[str, list[WaterReactive]] = Field(default_factory=dict)
    """Table 2 by UN number (empty when it was not imported)."""
    extra_sources: list[str] = Field(default_factory=list)
    """Tables 2 and 3 as imported, with where from."""


def parse_table1(data: Any, origin: str) -> ErgTable:
    """Table 1 from its JSON (``{"1005": {guide_no, material_name, small_spill, ...}}``)."""
    if not isinstance(data, dict) or not data:
        raise InputError(f"{origin}: not an ERG Table 1 (a JSON object keyed by UN number)")
    try:
        rows = {_un(key, origin): Row.model_validate(value) for key, value in data.items()}
    except ValidationError as exc:
        raise InputError(f"{origin}: not an ERG Table 1 row: {exc.errors()[0]['msg']}") from exc
    return ErgTable(imported_from=origin, rows=rows)


def parse_table3(data: Any, origin: str) -> dict[str, list[Container]]:
    """Table 3 from its JSON (``{"chemicals": [{un_number, name, containers: [...]}]}``)."""
    chemicals = data.get("chemicals") if isinstance(data, dict) else None
    if not isinstance(chemicals, list) or not chemicals:
        raise InputError(f"{origin}: not an ERG Table 3 (no list of chemicals)")
    try:
        return {
            _un(str(c["un_number"]), origin): [Container.model_validate(x) for x in c["containers"]]
            for c in chemicals
        }
    except (KeyError, TypeError, ValidationError) as exc:
        raise InputError(f"{origin}: not an ERG Table 3 chemical: {exc}") from exc


def parse_table2(data: Any, origin: str) -> dict[str, list[WaterReactive]]:
    """Table 2 from its JSON (``{"1295": [{guide_no, material_name, tih_gases}]}``)."""
    if not isinstance(data, dict) or not data:
        raise InputError(f"{origin}: not an ERG Table 2 (a JSON object keyed by UN number)")
    try:
        return {
            _un(key, origin): [WaterReactive.model_validate(x) for x in value]
            for key, value in data.items()
            if isinstance(value, list) or _not_a_list(origin, key)
        }
    except ValidationError as exc:
        raise InputError(f"{origin}: not an ERG Table 2 row: {exc.errors()[0]['msg']}") from exc


def _not_a_list(origin: str, key: str) -> bool:
    raise InputError(f"{origin}: UN {key} of Table 2 is not a list of materials")


def with_tables(
    table: ErgTable,
    table3: Any | None,
    table2: Any | None,
    origins: tuple[str, str] = ("table 3", "table 2"),
) -> ErgTable:
    """Table 1 with Tables 3 and 2 added (each optional), their sources recorded."""
    update: dict[str, Any] = {"extra_sources": list(table.extra_sources)}
    if table3 is not None:
        update["large_spills"] = parse_table3(table3, origins[0])
        update["extra_sources"].append(f"{TABLE3_SOURCE}; imported from {origins[0]}")
    if table2 is not None:
        update["water_reactive"] = parse_table2(table2, origins[1])
        update["extra_sources"].append(f"{TABLE2_SOURCE}; imported from {origins[1]}")
    return table.model_copy(update=update)


def _km(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


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


def distances(
    table: ErgTable | None, un: object, transport_mode: object = None
) -> ProtectiveDistances | None:
    """The distances for a UN number, with their source; None without table or row.

    A large spill Table 1 sends to Table 3 is given by container, the one the report's
    transport mode points to first; a Table 2 material says what it gives off in water.
    """
    if table is None or un is None:
        return None
    key = str(un).upper().removeprefix("UN").strip()
    row = table.rows.get(key)
    if row is None:
        return None
    containers = _containers(table.large_spills.get(key, []), transport_mode)
    large = row.large_spill.summary() if row.large_spill else None
    if containers and (large is None or "table 3" in large.lower()):
        large = f"by container, ERG Table 3 (below; {WIND_NOTE})"
    return ProtectiveDistances(
        un=str(un),
        material=row.material_name,
        guide=row.guide_no,
        small_spill=row.small_spill.summary() if row.small_spill else None,
        large_spill=large,
        large_spill_by_container=[c.summary() for c in containers],
        water_reactive=_in_water(table.water_reactive.get(key, [])),
        source="; ".join([f"{table.source}; imported from {table.imported_from}", *_extra(
            table, containers, key
        )]),
        unknowns=["spill size (small or large)", "day or night, wind speed"],
    )


def _containers(found: list[Container], transport_mode: object) -> list[Container]:
    wanted = CONTAINERS.get(str(transport_mode or "").lower())
    return sorted(found, key=lambda c: c.type != wanted)


def _in_water(materials: list[WaterReactive]) -> str | None:
    gases = sorted({g for m in materials for g in m.tih_gases})
    if not gases:
        return None
    return f"spilled in water it gives off {', '.join(gases)} (toxic by inhalation)"


def _extra(table: ErgTable, containers: list[Container], key: str) -> list[str]:
    """The sources of Tables 2 and 3, when this UN number used them."""
    used = ("Table 3",) * bool(containers) + ("Table 2",) * (key in table.water_reactive)
    return [s for s in table.extra_sources if any(t in s for t in used)]


__all__ = [
    "SOURCE",
    "ErgTable",
    "distances",
    "load_table",
    "parse_table1",
    "parse_table2",
    "parse_table3",
    "table_path",
    "with_tables",
]
