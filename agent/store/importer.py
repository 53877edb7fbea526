"""Bring an organisation's own incident archive in from CSV or JSON Lines.

A *mapping* says which source column feeds which :class:`~agent.domain.Incident`
field (``summary=Narrative``); JSONL columns may be dotted paths into nested
objects (``resolution=mitigation.details``). *Defaults* fill fields the file
does not have (``category=CYB.it_ot_outage``, ``severity=S2``); ``marking``
defaults to ``internal``, not the model's ``public``. Rows that fail
validation are reported with their row and line numbers and skipped, unless
``strict`` asks for all or nothing. Nothing here writes to the store.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import html
import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from agent.domain import ActionTaken, Incident
from agent.errors import ImportMappingError, InputError

Format = Literal["csv", "jsonl"]
MAX_TEXT_CHARS = 20_000
"""A field longer than this rejects its row (the event limit of the domain model)."""

LIST_FIELDS = frozenset({"secondary", "lessons", "tags"})
IMPORT_MARKING = "internal"
"""An organisation's own records are not public unless it says so (``--default marking=``)."""
GENERATED_FIELDS = frozenset({"id", "source"})
DATE_FORMATS = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
)
"""Tried after ISO 8601; slashed dates are read month first (US), as most exports are."""

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[\"'(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9_.\-]+")
_MAX_ERRORS_SHOWN = 20
_MAX_COLUMNS_SHOWN = 80


@dataclass(frozen=True)
class RowError:
    """A record that could not be imported."""

    row: int
    """1-based number of the record (the CSV header is not a row)."""
    line: int
    """1-based line of the file where the record starts."""
    message: str

    def __str__(self) -> str:
        return f"row {self.row} (line {self.line}): {self.message}"


@dataclass(frozen=True)
class ImportResult:
    """The incidents read from a file, and the rows that were skipped."""

    incidents: list[Incident]
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    """How many records the file holds (imported plus skipped)."""


@dataclass(frozen=True)
class _Record:
    """One source record with its position in the file."""

    row: int
    line: int
    data: dict[str, Any]


class _RowProblem(Exception):
    """Why one record cannot become an incident."""


def import_records(
    path: Path,
    fmt: Format,
    mapping: dict[str, str],
    defaults: dict[str, str],
    *,
    date_format: str | None = None,
    strict: bool = False,
) -> ImportResult:
    """Read incidents from a CSV or JSONL file through a field mapping.

    Args:
        path: the file to read (UTF-8, with or without a byte-order mark).
        fmt: ``csv`` (with a header row) or ``jsonl`` (one JSON object a line).
        mapping: Incident field -> source column (or dotted path, for JSONL).
        defaults: Incident field -> value, used when the row has none.
        date_format: a ``strptime`` format for ``occurred_at``, e.g. ``%d/%m/%Y``.
        strict: raise on the first bad row instead of skipping bad rows.

    Raises:
        ImportMappingError: the mapping names unknown fields or absent columns,
            or leaves a required field without a column or a default.
        InputError: the file is missing, not UTF-8 or not parseable as ``fmt``,
            or (with ``strict``) some rows are bad; every bad row is listed.
    """
    _check_fields(mapping, defaults)
    header, records, errors = _read_records(path, fmt)
    _check_columns(path, header, records, mapping)
    builder = _Builder(path, mapping, defaults, date_format)
    incidents = _build_all(builder, records, errors)
    errors.sort(key=lambda e: e.row)
    if strict and errors:
        raise InputError(_strict_message(path, errors))
    return ImportResult(incidents, errors, rows=len(records) + _unreadable(errors, records))


def _unreadable(errors: list[RowError], records: list[_Record]) -> int:
    """How many errors concern records that could not even be parsed."""
    parsed = {r.row for r in records}
    return sum(1 for e in errors if e.row not in parsed)


def _build_all(builder: _Builder, records: list[_Record], errors: list[RowError]) -> list[Incident]:
    """Turn records into incidents, collecting an error per bad or duplicate record."""
    incidents: list[Incident] = []
    first_row: dict[str, int] = {}
    for record in records:
        try:
            incident = builder.build(record)
        except _RowProblem as problem:
            errors.append(RowError(record.row, record.line, str(problem)))
            continue
        if incident.id in first_row:
            message = f"duplicate id {incident.id!r} (already used by row {first_row[incident.id]})"
            errors.append(RowError(record.row, record.line, message))
            continue
        first_row[incident.id] = record.row
        incidents.append(incident)
    return incidents


def _strict_message(path: Path, errors: list[RowError]) -> str:
    """The error of a strict import: how many rows are bad, and which."""
    shown = "\n".join(str(e) for e in errors[:_MAX_ERRORS_SHOWN])
    more = len(errors) - _MAX_ERRORS_SHOWN
    tail = f"\n... and {more} more" if more > 0 else ""
    return f"{path.name}: {len(errors)} bad row(s); nothing imported (--strict):\n{shown}{tail}"


# --- mapping checks -------------------------------------------------------------------


def _check_fields(mapping: dict[str, str], defaults: dict[str, str]) -> None:
    """Every mapped or defaulted name must be an Incident field; required ones covered."""
    known = set(Incident.model_fields)
    unknown = sorted((set(mapping) | set(defaults)) - known)
    if unknown:
        raise ImportMappingError(
            f"unknown incident field(s): {', '.join(unknown)}; "
            f"fields are: {', '.join(Incident.model_fields)}"
        )
    if "id" in defaults:
        raise ImportMappingError("'id' cannot have a default: every incident needs its own id")
    required = [name for name, info in Incident.model_fields.items() if info.is_required()]
    missing = [
        n for n in required if n not in mapping and n not in defaults and n not in GENERATED_FIELDS
    ]
    if missing:
        hint = " ".join(f"--default {n}=VALUE" for n in missing)
        raise ImportMappingError(
            f"no column and no default for required field(s) {', '.join(missing)}: "
            f"map a column (--map {missing[0]}=COLUMN) or give a default ({hint})"
        )


def _check_columns(
    path: Path, header: list[str] | None, records: list[_Record], mapping: dict[str, str]
) -> None:
    """Every mapped column must be in the CSV header, or in at least one JSONL record."""
    if header is None and not records:
        return  # an empty JSONL file: nothing to map, nothing to import
    available = header if header is not None else _available_columns(records)
    absent = [
        (name, column) for name, column in mapping.items() if not _present(column, header, records)
    ]
    if not absent:
        return
    described = "; ".join(_describe_absent(name, column, available) for name, column in absent)
    shown = ", ".join(available[:_MAX_COLUMNS_SHOWN]) or "(none)"
    more = " ..." if len(available) > _MAX_COLUMNS_SHOWN else ""
    raise ImportMappingError(f"{path.name}: {described} (available columns: {shown}{more})")


def _present(column: str, header: list[str] | None, records: list[_Record]) -> bool:
    """Whether a mapped column exists in the file."""
    if header is not None:
        return column in header
    return any(_lookup(r.data, column)[0] for r in records)


def _describe_absent(name: str, column: str, available: list[str]) -> str:
    """``no column 'Narative' (for summary), did you mean 'Narrative'?``."""
    close = difflib.get_close_matches(column, available, n=1)
    hint = f", did you mean {close[0]!r}?" if close else ""
    return f"no column {column!r} (for {name}){hint}"


def _available_columns(records: list[_Record]) -> list[str]:
    """Every column, or dotted path into nested objects, found in the records."""
    seen: dict[str, None] = {}
    for record in records:
        for name in _paths(record.data, "", depth=3):
            seen.setdefault(name, None)
    return list(seen)


def _paths(data: dict[str, Any], prefix: str, depth: int) -> Iterator[str]:
    """The keys of ``data`` and, ``depth`` levels down, the dotted keys of nested objects."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        yield name
        if isinstance(value, dict) and depth > 1:
            yield from _paths(value, f"{name}.", depth - 1)


def _lookup(data: Any, column: str) -> tuple[bool, Any]:
    """Find ``column`` in a record: an exact key first, then a dotted path.

    A path through a list collects the value from each of its objects.
    """
    if isinstance(data, list):
        found = [v for ok, v in (_lookup(item, column) for item in data) if ok]
        return bool(found), found
    if not isinstance(data, dict):
        return False, None
    if column in data:
        return True, data[column]
    for match in re.finditer(r"\.", column):
        head, rest = column[: match.start()], column[match.end() :]
        if head in data:
            ok, value = _lookup(data[head], rest)
            if ok:
                return True, value
    return False, None


# --- reading files --------------------------------------------------------------------


def _read_records(
    path: Path, fmt: Format
) -> tuple[list[str] | None, list[_Record], list[RowError]]:
    """The CSV header (None for JSONL), the records, and the records that cannot be parsed."""
    text = _read_text(path)
    if fmt == "csv":
        return _csv_records(path, text)
    if fmt == "jsonl":
        return (None, *_jsonl_records(text))
    raise InputError(f"unknown import format {fmt!r}; expected csv or jsonl")


def _read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a byte-order mark is dropped)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path.name} is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); "
            f"convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 {path.name} > utf8.csv"
        ) from exc


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's field size limit for a while (long fields get a row error)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(limit, sys.maxsize))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _csv_records(path: Path, text: str) -> tuple[list[str], list[_Record], list[RowError]]:
    """The header, the data rows as column -> text dicts, and rows with too many values."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    records: list[_Record] = []
    errors: list[RowError] = []
    with _csv_field_limit(64 * 1024 * 1024):
        try:
            header = [name.strip() for name in next(reader, [])]
            if not any(header):
                raise InputError(f"{path.name} is empty: a CSV import needs a header row")
            line = reader.line_num + 1
            for values in reader:
                if any(v.strip() for v in values):
                    row = len(records) + len(errors) + 1
                    _csv_row(header, values, _Record(row, line, {}), records, errors)
                line = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(f"{path.name}: line {reader.line_num}: malformed CSV: {exc}") from exc
    return header, records, errors


def _csv_row(
    header: list[str],
    values: list[str],
    record: _Record,
    records: list[_Record],
    errors: list[RowError],
) -> None:
    """Add one CSV row as a record, or as an error when it has values past the header."""
    extra = [v for v in values[len(header) :] if v.strip()]
    if extra:
        message = f"{len(values)} values for {len(header)} columns (a quoting problem?)"
        errors.append(RowError(record.row, record.line, message))
        return
    record.data.update(zip(header, values, strict=False))
    records.append(record)


def _jsonl_records(text: str) -> tuple[list[_Record], list[RowError]]:
    """One record per non-blank line; lines that are not JSON objects become errors."""
    records: list[_Record] = []
    errors: list[RowError] = []
    row = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row += 1
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(RowError(row, line_number, f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(data, dict):
            errors.append(RowError(row, line_number, "not a JSON object"))
            continue
        records.append(_Record(row, line_number, data))
    return records, errors


# --- building incidents ---------------------------------------------------------------


@dataclass(frozen=True)
class _Builder:
    """Turns one record into an Incident through the mapping and the defaults."""

    path: Path
    mapping: dict[str, str]
    defaults: dict[str, str]
    date_format: str | None

    def build(self, record: _Record) -> Incident:
        """The incident of one record.

        Raises:
            _RowProblem: a value cannot be converted, is too long, or fails validation.
        """
        data: dict[str, Any] = {}
        for name in Incident.model_fields:
            value = self._field(name, record)
            if value is not None:
                data[name] = value
        data.setdefault("id", generated_id(self.path, record.row))
        data.setdefault("source", f"{self.path.name} row {record.row}")
        data.setdefault("marking", IMPORT_MARKING)
        try:
            return Incident.model_validate(data)
        except ValidationError as exc:
            raise _RowProblem(_validation_message(exc)) from None

    def _field(self, name: str, record: _Record) -> Any:
        """The converted value of one field: its column, else its default, else None."""
        raw = None
        if name in self.mapping:
            raw = _lookup(record.data, self.mapping[name])[1]
        if _is_empty(raw) and name in self.defaults:
            raw = self.defaults[name]
        if _is_empty(raw):
            return None
        return self._convert(name, raw)

    def _convert(self, name: str, raw: Any) -> Any:
        """Convert a raw value to what the Incident field expects."""
        if name == "occurred_at":
            return parse_datetime(raw, self.date_format)
        text = _long_text_guard(name, raw)
        if name == "actions":
            items = [to_text(v) for v in raw] if isinstance(raw, list) else [text]
            return [ActionTaken(text=t) for item in items for t in split_actions(item)]
        if name in LIST_FIELDS:
            return _split_items(raw)
        if name == "id":
            return _BAD_ID_CHARS.sub("-", text).strip("-") or None
        return text


def _is_empty(value: Any) -> bool:
    """None, blank text, or an empty list or object."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value


def _long_text_guard(name: str, raw: Any) -> str:
    """The raw value as text; a value over the limit rejects the row."""
    text = to_text(raw)
    if len(text) > MAX_TEXT_CHARS:
        raise _RowProblem(
            f"{name}: {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit; "
            "shorten it in the source file"
        )
    return text


def to_text(value: Any) -> str:
    """Text of a source value: lists are joined with ``; ``, HTML line breaks become newlines."""
    if isinstance(value, list):
        return "; ".join(t for t in (to_text(v) for v in value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        return html.unescape(_BR.sub("\n", value)).strip()
    return "" if value is None else str(value)


def _split_items(raw: Any) -> list[str]:
    """A list field from a list, or from text separated by ``;`` or newlines."""
    values = raw if isinstance(raw, list) else re.split(r"[;\n]", to_text(raw))
    return [t for t in (to_text(v).strip() for v in values) if t]


def split_actions(text: str) -> list[str]:
    """Split free text into action sentences: by line, then by sentence; bullets dropped."""
    actions: list[str] = []
    for line in text.splitlines():
        for sentence in _SENTENCE.split(line.strip()):
            sentence = _BULLET.sub("", sentence).strip()
            if len(sentence) >= 3:
                actions.append(sentence)
    return actions


def parse_datetime(raw: Any, date_format: str | None = None) -> datetime:
    """A timezone-aware datetime from ISO 8601, common date formats or epoch seconds.

    Naive values are taken as UTC.

    Raises:
        _RowProblem: the value matches no format.
    """
    value = _parse_any_datetime(raw, date_format)
    if value is None:
        tried = date_format or "ISO 8601, MM/DD/YYYY[ HH:MM], YYYY/MM/DD, '4 June 2021'"
        raise _RowProblem(
            f"occurred_at: cannot read {to_text(raw)!r} as a date "
            f"(tried {tried}; use --date-format, e.g. %d/%m/%Y)"
        )
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parse_any_datetime(raw: Any, date_format: str | None) -> datetime | None:
    """The first reading of ``raw`` that works, or None."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return datetime.fromtimestamp(raw, tz=UTC)
    text = to_text(raw)
    if date_format:
        return _strptime(text, date_format)
    for fmt in (None, *DATE_FORMATS):
        parsed = _strptime(text, fmt)
        if parsed is not None:
            return parsed
    try:
        return parsedate_to_datetime(text)  # RFC 2822, as in e-mail headers
    except (ValueError, TypeError, IndexError):
        return None


def _strptime(text: str, fmt: str | None) -> datetime | None:
    """``text`` read with ``fmt`` (ISO 8601 when None), or None if it does not fit."""
    try:
        return datetime.fromisoformat(text) if fmt is None else datetime.strptime(text, fmt)
    except ValueError:
        return None


def generated_id(path: Path, row: int) -> str:
    """A deterministic id from the file name and the row: ``safenet_2015-1a2b3c4d5e``."""
    stem = _BAD_ID_CHARS.sub("_", path.stem).strip("_").lower() or "import"
    digest = hashlib.sha256(f"{path.name}:{row}".encode()).hexdigest()[:10]
    return f"{stem[:40]}-{digest}"


def _validation_message(exc: ValidationError) -> str:
    """Pydantic errors as ``field: message; field: message``."""
    parts = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"]) or "<row>"
        parts.append(f"{loc}: {error['msg']}")
    return "; ".join(parts)
