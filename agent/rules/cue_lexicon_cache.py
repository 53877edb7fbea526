"""The categorisation lexicon of a taxonomy: built once per process, kept on disk by content.

Building it parses the cue file and stems some 3,500 keywords and phrases: 45 ms of
every new ``crisiscell suggest`` process (issue 11: cold start), for a result that only
changes when those inputs do. It is plain data, so it is kept as one JSON file under
:func:`agent.cache.cache_dir`. A file that is missing, damaged or of another shape is
ignored and rebuilt; a lexicon that would not read back equal is never written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.cache import cache_dir, files_digest, through_json
from agent.pack.models import Taxonomy
from agent.rules import cues, reading
from agent.rules.cues import Entry, Frame, Lexicon, build_lexicon, cue_data

FORMAT = "cue-lexicon-1"
KEPT = 4


_LEXICONS: dict[int, tuple[Taxonomy, Lexicon]] = {}


def lexicon_for(taxonomy: Taxonomy) -> Lexicon:
    """The lexicon of a taxonomy, built once per taxonomy object (and once per content)."""
    cached = _LEXICONS.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    lexicon = cached_lexicon(taxonomy, lambda: build_lexicon(taxonomy, cue_data()))
    _LEXICONS[id(taxonomy)] = (taxonomy, lexicon)
    return lexicon


def cached_lexicon(taxonomy: Taxonomy, build: Callable[[], Lexicon]) -> Lexicon:
    """``build()``, read back from the cache when the cues, taxonomy and code are unchanged."""
    try:
        code = [cues.CUES_FILE, Path(cues.__file__ or ""), Path(reading.__file__ or "")]
        key = files_digest(code, f"{FORMAT}\0{taxonomy.model_dump_json()}")
        path = cache_dir() / f"cue-lexicon-{key[:32]}.json"
    except OSError:
        return build()
    return through_json(path, build, _encode, _decode, KEPT)


def _encode(lexicon: Lexicon) -> dict[str, Any]:
    return {
        "index": [
            [list(key), [[e.code, e.weight, e.term, e.source] for e in entries]]
            for key, entries in lexicon.index.items()
        ],
        "longest": lexicon.longest,
        "typo_words": lexicon.typo_words,
        "negators": sorted(lexicon.negators),
        "false_alarm": sorted(list(p) for p in lexicon.false_alarm),
        "cause_markers": sorted(lexicon.cause_markers),
        "resource_markers": sorted(lexicon.resource_markers),
        "circumstance_markers": sorted(lexicon.circumstance_markers),
        "frames": [_frame_data(f) for f in lexicon.frames],
    }


def _frame_data(frame: Frame) -> list[Any]:
    verbs = sorted(list(v) for v in frame.verbs)
    return [verbs, frame.default, frame.subjects, frame.weight, frame.after]


def _decode(found: Any) -> Lexicon | None:
    """The cached lexicon, or None when the data is absent or not of this shape."""
    try:
        return Lexicon(
            index={
                tuple(key): tuple(Entry(c, float(w), t, s) for c, w, t, s in entries)
                for key, entries in found["index"]
            },
            longest=int(found["longest"]),
            typo_words={str(k): list(v) for k, v in found["typo_words"].items()},
            negators=frozenset(found["negators"]),
            false_alarm=frozenset(tuple(p) for p in found["false_alarm"]),
            cause_markers=frozenset(found["cause_markers"]),
            resource_markers=frozenset(found["resource_markers"]),
            circumstance_markers=frozenset(found["circumstance_markers"]),
            frames=tuple(_frame(f) for f in found["frames"]),
        )
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _frame(found: list[Any]) -> Frame:
    verbs, default, subjects, weight, after = found
    return Frame(
        verbs=frozenset(tuple(v) for v in verbs),
        default=str(default),
        subjects={str(k): str(v) for k, v in subjects.items()},
        weight=float(weight),
        after=bool(after),
    )
