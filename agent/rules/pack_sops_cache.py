"""The pack as the categoriser reads it raw (taxonomy, SOPs), kept on disk by its bytes.

When the caller passes no SOPs, the categoriser reads the configured pack's ~30 YAML
files raw, in every new process, only to find the training documents its cached model
was trained on: a tenth of a second of parsing. What it reads is pure JSON, so it is
kept as one JSON file under :func:`agent.cache.cache_dir`, keyed by the bytes of the
pack files and of the code that selects them. A file that cannot be read or does not
parse is ignored and rebuilt; data that would not read back the same from JSON is
never written, so a hit gives exactly what parsing would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agent.cache import cache_dir, files_digest, through_json

FORMAT = "sop-fields-1"
KEPT = 4
FIELDS = ("id", "title", "applies_to", "steps", "forbidden_actions")
"""What :func:`agent.rules.classifier.documents` reads of an SOP."""

Sops = list[dict[str, Any]]
Raw = tuple[Any, Sops]
"""The parsed taxonomy file (None when it does not parse), and the approved SOPs' fields."""


def trained_fields(sop: dict[str, Any]) -> dict[str, Any]:
    """The fields of a raw SOP the categoriser reads (the rest never reaches the model)."""
    return {key: value for key, value in sop.items() if key in FIELDS}


def cached_pack(files: Sequence[Path], code: Sequence[Path], read: Callable[[], Raw]) -> Raw:
    """``read()`` of these pack files, from the cache when neither they nor ``code`` changed."""
    try:
        path = cache_dir() / f"sop-fields-{files_digest([*files, *code], FORMAT)[:32]}.json"
    except OSError:
        return read()
    return through_json(path, read, _encode, _parse, KEPT)


def _encode(raw: Raw) -> dict[str, Any]:
    return {"taxonomy": raw[0], "sops": raw[1]}


def _parse(found: Any) -> Raw | None:
    """The cached pack, or None when the file is absent, damaged or not of this shape."""
    if not isinstance(found, dict) or set(found) != {"taxonomy", "sops"}:
        return None
    sops = found["sops"]
    if isinstance(sops, list) and all(isinstance(sop, dict) for sop in sops):
        return found["taxonomy"], sops
    return None

