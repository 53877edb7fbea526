"""The guard's word keys kept on disk, so a new process need not decode the dictionaries.

simplemma decodes its whole English and French dictionaries the first time a word is
looked up: most of a second of every ``crisiscell suggest`` process, for the few
thousand words a pack and an archive use. What the guard derived for each word (its
keys, and whether a dictionary knows it) is written to one JSON file in the cache
directory when the process ends, and read back by the next one; a word the file does
not hold is looked up as before, and added. The file is named by the simplemma version
and the source of :mod:`agent.guard.tokens`, so a change to either starts a new file.
An unreadable or foreign file is a miss, never a crash; a read-only disk is ignored.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

from agent.cache import write_atomically

FORMAT = "lemmas-1"


def store_path(root: Path, source: bytes) -> Path:
    """The file for this simplemma version and this tokeniser source."""
    try:
        version = metadata.version("simplemma")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256(f"{FORMAT}\n{version}\n".encode() + source).hexdigest()
    return root / f"lemmas-{digest[:24]}.json"


class LemmaStore:
    """Word keys and dictionary membership, loaded on first use, saved at exit if grown."""

    def __init__(self, path: Path) -> None:
        """Keep the store at ``path`` (nothing is read until a word is asked for)."""
        self.path = path
        self._keys: dict[str, frozenset[str]] | None = None
        self._known: dict[str, bool] = {}
        self._added = 0
        self._lock = threading.Lock()

    def keys(self, word: str) -> frozenset[str] | None:
        """The stored keys of ``word``, or None when it was never looked up."""
        return self._loaded().get(word)

    def known(self, word: str) -> bool | None:
        """Whether a dictionary knows ``word``, or None when never asked."""
        self._loaded()
        return self._known.get(word)

    def add_keys(self, word: str, keys: frozenset[str]) -> None:
        """Remember a word's keys (saved at exit)."""
        with self._lock:
            self._loaded()[word] = keys
            self._added += 1

    def add_known(self, word: str, known: bool) -> None:
        """Remember whether a dictionary knows a word (saved at exit)."""
        with self._lock:
            self._loaded()
            self._known[word] = known
            self._added += 1

    def save(self) -> None:
        """Merge what this process added into the file, atomically; errors are ignored."""
        if not self._added or self._keys is None:
            return
        on_disk_keys, on_disk_known = _read(self.path)
        keys = {**on_disk_keys, **self._keys}
        known = {**on_disk_known, **self._known}
        _write(self.path, keys, known)
        self._added = 0

    def _loaded(self) -> dict[str, frozenset[str]]:
        if self._keys is None:
            self._keys, self._known = _read(self.path)
        return self._keys


def _read(path: Path) -> tuple[dict[str, frozenset[str]], dict[str, bool]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}, {}
        keys = {str(w): frozenset(map(str, k)) for w, k in data["keys"].items()}
        known = {str(w): bool(v) for w, v in data["known"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}
    return keys, known


def _write(path: Path, keys: dict[str, frozenset[str]], known: dict[str, bool]) -> None:
    body = {
        "format": FORMAT,
        "keys": {w: sorted(k) for w, k in sorted(keys.items())},
        "known": dict(sorted(known.items())),
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    write_atomically(path, lambda file: file.write(text.encode("utf-8")))


_STORE: LemmaStore | None = None


def default_store(source: bytes) -> LemmaStore:
    """The process's store in the cache directory, saved when the process exits."""
    global _STORE
    if _STORE is None:
        from agent.cache import cache_dir

        _STORE = LemmaStore(store_path(cache_dir(), source))
        atexit.register(_STORE.save)
    return _STORE
