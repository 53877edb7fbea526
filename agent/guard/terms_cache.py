"""The guard's compiled concept terms kept on disk, keyed by the concepts and the code.

A pack's concepts hold some ten thousand words and phrases; compiling them (folding,
lemmatising and stemming every word) is a tenth of a second of every new process
that checks a text (issue 11: cold start). What compiling gives is plain data, so it
is kept as one JSON file under :func:`agent.cache.cache_dir`, named by a hash of the
concepts themselves, of the code that compiles them and of the lemmatiser's version.
A file that is missing, damaged or of another shape is ignored and rebuilt; terms that
would not read back equal are never written, so a hit gives exactly what compiling does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from agent.cache import cache_dir, through_json
from agent.guard import concepts, folding, lemmatiser, tokens
from agent.guard.concepts import Compiled, Term, Word
from agent.guard.lemma_store import store_path

FORMAT = "guard-terms-2"
KEPT = 4
"""Files kept (the newest): the shipped pack's, and a few a pack author is editing."""
MIN_SOURCES = 500
"""Smaller concept sets (tests, tiny packs) compile faster than a file is read and written."""



def compiled_terms(
    sources: Mapping[str, Sequence[str]], compile_all: Callable[[], Compiled]
) -> Compiled:
    """``compile_all()`` of these concepts, read back from the cache when nothing changed."""
    if sum(len(v) for v in sources.values()) < MIN_SOURCES:
        return compile_all()
    try:
        path = cache_dir() / "guard" / f"terms-{_key(sources)[:32]}.json"
    except OSError:
        return compile_all()
    return through_json(path, compile_all, _encode, _decode, KEPT)


def _key(sources: Mapping[str, Sequence[str]]) -> str:
    """A hash of the concepts, the compiling code and the lemmatiser (OSError if unreadable)."""
    digest = hashlib.sha256(FORMAT.encode())
    for module in (concepts, folding, lemmatiser, tokens):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(store_path(Path(), b"").name.encode())  # names the simplemma version
    digest.update(json.dumps({k: list(v) for k, v in sources.items()}, sort_keys=True).encode())
    return digest.hexdigest()


def _encode(compiled: Compiled) -> dict[str, list[Any]]:
    """Terms as rows of word numbers, and each distinct word once (most words recur)."""
    numbers: dict[Word, int] = {}
    rows = [
        [excluded, t.concept, t.source, [numbers.setdefault(w, len(numbers)) for w in t.words]]
        for excluded, t in compiled
    ]
    return {"words": [[sorted(w.keys), w.prefix] for w in numbers], "terms": rows}


def _decode(found: Any) -> Compiled | None:
    """The cached terms, or None when the data is absent or not of this shape."""
    if not isinstance(found, dict) or set(found) != {"words", "terms"}:
        return None
    try:
        words = [_word(w) for w in found["words"]]
        return [
            (bool(excluded), Term(concept, source, tuple(words[n] for n in numbers)))
            for excluded, concept, source, numbers in found["terms"]
        ]
    except (TypeError, ValueError, IndexError):
        return None


def _word(found: list[Any]) -> Word:
    keys, prefix = found
    if not isinstance(keys, list) or not (prefix is None or isinstance(prefix, str)):
        raise TypeError("not a cached word")
    return Word(keys=frozenset(keys), prefix=prefix)
