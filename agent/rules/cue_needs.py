r"""What a cue pattern needs in a text before it can match: words, so it compiles only when due.

The two cue files hold ~250 patterns; compiling them all was a twentieth of a
``crisiscell suggest`` process, and a report calls for a handful. Every match of
``\bppi\b[^.;]{0,40}\b(?:declenche|active)`` contains "declenche" or "active": a text
that holds neither cannot match it, so it is not compiled for that text. The needs are
read from the parsed pattern (exact: a literal run, one per branch, a repeat's item),
and kept on disk by the bytes of the cue file, as parsing is what costs.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.cache import cache_dir, files_digest, prune, read_json, write_json

FORMAT = "cue-needs-1"
KEPT = 8
Needs = tuple[str, ...] | None
"""Strings one of which every match contains; None: the pattern may match anything."""

try:  # the standard parser (private: a Python without it gets no needs, so compiles all)
    sre: Any = importlib.import_module("re._constants")
    sre_parse: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - another Python
    sre_parse = None


def needs(pattern: str) -> Needs:
    """The strings one of which any match of ``pattern`` contains (None when unknown)."""
    if sre_parse is None:
        return None
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & sre.SRE_FLAG_IGNORECASE:
        return None
    found = _sequence(list(parsed))
    return None if found is None else tuple(sorted(found))


def _sequence(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best need of a sequence: its longest literal run, or its strictest part."""
    candidates: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        part = _item(op, av)
        if part is not None:
            candidates.append(part)
    if run:
        candidates.append(frozenset({run}))
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _item(op: Any, av: Any) -> frozenset[str] | None:
    """What one part of a pattern needs: a group's, each branch's, a repeated item's."""
    if op is sre.SUBPATTERN:
        _, add_flags, _, body = av
        return None if add_flags & sre.SRE_FLAG_IGNORECASE else _sequence(list(body))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = av
        return _sequence(list(body)) if low >= 1 else None
    if op is sre.BRANCH:
        branches = [_sequence(list(b)) for b in av[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*(b for b in branches if b is not None))
    return None


def may_match(need: Needs, text: str) -> bool:
    """False only when no match is possible: the text holds none of the needed strings."""
    return need is None or any(word in text for word in need)


def cached_needs(path: Path, patterns: Sequence[str]) -> list[Needs] | None:
    """The needs of a cue file's patterns, kept when computed; None when not on disk yet."""
    try:
        found = read_json(_cache_path(path))
    except OSError:
        return None
    if not _valid(found, len(patterns)):
        return None
    return [None if n is None else tuple(n) for n in found]


def store_needs(path: Path, found: Sequence[Needs]) -> None:
    """Keep the needs of a cue file whose patterns all compiled (a broken file is never kept)."""
    try:
        target = _cache_path(path)
    except OSError:
        return
    if write_json(target, [None if n is None else list(n) for n in found]):
        prune(target.parent, "cue-needs-*.json", KEPT)


def _cache_path(path: Path) -> Path:
    salt = f"{FORMAT}\0{sys.version}"
    key = files_digest([path, Path(__file__)], salt)
    return cache_dir() / f"cue-needs-{key[:32]}.json"


def _valid(found: Any, count: int) -> bool:
    if not isinstance(found, list) or len(found) != count:
        return False
    return all(
        n is None or (isinstance(n, list) and n and all(isinstance(w, str) and w for w in n))
        for n in found
    )
