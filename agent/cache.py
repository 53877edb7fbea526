"""Where crisiscell keeps what it can rebuild: the categoriser, the word keys, the parsed pack.

Nothing here is a source of truth: every file under it can be deleted at any time and
is rebuilt on the next run.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")

CACHE_ENV = "CRISISCELL_CACHE_DIR"


def cache_dir() -> Path:
    """``CRISISCELL_CACHE_DIR``, else the user cache dir (platformdirs), else ``<home>/cache``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    try:
        platformdirs = importlib.import_module("platformdirs")
    except ImportError:
        from agent.settings import Settings

        return Settings().home / "cache"
    return Path(platformdirs.user_cache_dir("crisiscell"))


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a cache file so no reader sees half of it; a read-only disk is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def files_digest(files: Iterable[Path], salt: str = "") -> str:
    """sha256 over ``salt`` then each file's name, size and bytes: a content key, not a date.

    Raises:
        OSError: a file cannot be read (the caller rebuilds without the cache).
    """
    digest = hashlib.sha256(salt.encode())
    for path in files:
        raw = path.read_bytes()
        digest.update(f"\0{path.name}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()


def read_cached(path: Path) -> bytes | None:
    """A cache file's bytes, or None when it is missing or unreadable (then rebuild it)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def read_json(path: Path) -> Any:
    """A JSON cache file's data, or None when it is missing, unreadable or not JSON."""
    raw = read_cached(path)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def write_json(path: Path, data: Any) -> bool:
    """Cache ``data`` as JSON only if reading it back gives the very same data.

    JSON turns tuples into lists and refuses dates or NaN keys: such data is not kept
    (False), so a cache hit never differs from what was computed.
    """
    try:
        raw = json.dumps(data)
        if json.loads(raw) != data:
            return False
    except (TypeError, ValueError):
        return False
    write_atomically(path, lambda file: file.write(raw.encode()))
    return True


def prune(directory: Path, pattern: str, keep: int) -> None:
    """Keep the ``keep`` newest files matching ``pattern``: old keys are never read again."""
    try:
        found = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in found[keep:]:
            stale.unlink(missing_ok=True)
    except OSError:
        return


def through_json(
    path: Path,
    build: Callable[[], T],
    encode: Callable[[T], Any],
    decode: Callable[[Any], T | None],
    keep: int,
) -> T:
    """What ``path`` holds (``decode`` of its JSON), else ``build()``, saved for next time.

    A missing, damaged or foreign file decodes to None and is rebuilt; a value whose JSON
    would not decode back equal is never written, so a hit gives exactly what building
    does. The ``keep`` newest files of the same name before its last ``-`` are kept.
    """
    found = decode(read_json(path))
    if found is not None:
        return found
    value = build()
    data = encode(value)
    if decode(data) == value and write_json(path, data):
        prune(path.parent, f"{path.name.rsplit('-', 1)[0]}-*.json", keep)
    return value
