"""Turn raw operator input (argument, file, stdin) into an :class:`Event`, or a clear error.

Bad input never reaches the graph: empty, blank, oversized, binary or non-UTF-8
text and malformed event files raise :class:`InputError` with what to fix. The
text that is kept is neutralised here, once, for every later renderer: terminal
escape sequences and control characters are stripped (line breaks kept), and so
are those in the string values of an event file's facts and site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agent.domain import MAX_EVENT_CHARS, Event
from agent.errors import InputError
from agent.safe_text import clean_block, clean_line

MAX_FILE_BYTES = 1_000_000
CONTROL_SHARE = 0.05


def decode_text(raw: bytes, origin: str = "input") -> str:
    """Strict UTF-8 decoding with a size limit and a binary check."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"{origin}: {len(raw):,} bytes is too large (max {MAX_FILE_BYTES:,})")
    if b"\x00" in raw:
        raise InputError(f"{origin}: looks binary (NUL bytes); give the event as text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{origin}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8"
        ) from None
    return text


def check_text(text: str, origin: str = "input") -> str:
    """The event text, stripped, or an error saying why it cannot be used."""
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    if text and controls / len(text) > CONTROL_SHARE:
        raise InputError(f"{origin}: looks binary ({controls} control characters)")
    stripped = clean_block(text).strip()
    if not stripped:
        raise InputError(f"{origin}: the event text is empty")
    if len(stripped) > MAX_EVENT_CHARS:
        raise InputError(
            f"{origin}: the event text has {len(stripped):,} characters "
            f"(max {MAX_EVENT_CHARS:,}); keep the report short and put details "
            "in structured facts"
        )
    return stripped


def event_from_text(text: str, origin: str = "input", **fields: Any) -> Event:
    """An event from free text plus optional fields (site, facts...)."""
    return _validate({"text": check_text(text, origin), **_clean(fields)}, origin)


def event_from_bytes(raw: bytes, origin: str = "stdin", **fields: Any) -> Event:
    """An event from raw bytes (stdin)."""
    return event_from_text(decode_text(raw, origin), origin, **fields)


def event_from_file(path: Path) -> Event:
    """An event from a YAML or JSON file holding an Event mapping (or plain text)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = decode_text(raw, str(path))
    try:
        data = _parse(text, path.suffix)
    except ValueError as exc:
        raise InputError(f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}") from None
    if isinstance(data, str):
        return event_from_text(data, str(path))
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping with at least 'text'")
    if isinstance(data.get("text"), str):
        data["text"] = check_text(data["text"], f"{path}: text")
    return _validate({k: _clean(v) for k, v in data.items()}, str(path))


def _parse(text: str, suffix: str) -> Any:
    """JSON or YAML data (YAML imported only for YAML files: it is not free at start-up).

    Raises:
        ValueError: the text does not parse.
    """
    if suffix == ".json":
        return json.loads(text)
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from None


def _clean(value: Any) -> Any:
    """Strings of an event file without control characters (text keeps its lines)."""
    if isinstance(value, str):
        return clean_block(value) if "\n" in value else clean_line(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _validate(data: dict[str, Any], origin: str) -> Event:
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(f"{origin}: invalid event: {problems}") from None
