"""The categorisation lexicon: taxonomy keywords plus the cue file, matched longest first.

Each hit says which codes a stretch of text is evidence for, how much, and whether it
is negated ("no fire"), a stated cause ("since the storm") or in the headline. A verb
frame re-reads a hit by the noun it applies to: "two workers collapsed" is a casualty,
"the roof collapsed" a structure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from agent.pack.models import Taxonomy
from agent.rules.reading import Reading, fold, stems

CUES_FILE = Path(__file__).parent / "data" / "cues.yaml"
TIERS = {"strong": 2.0, "terms": 1.0, "weak": 0.5}
PACK_WEIGHT = 1.0
PHRASE_BONUS = 1.5
TYPO_WEIGHT = 0.7
TYPO_CUTOFF = 90
TYPO_MIN_LEN = 7
NEGATION_WINDOW = 3
"""Content words (three letters or more) looked at before a keyword for a negator."""
CAUSE_WINDOW = 4
RESOURCE_WINDOW = 10
CIRCUMSTANCE_WINDOW = 2
FRAME_WINDOW = 8
SHORT = 2
NONE = "none"


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: the code it is evidence for (None: neutral), weight, source words."""

    code: str | None
    weight: float
    term: str
    source: str  # "taxonomy", "cues" or "neutral"


@dataclass(frozen=True)
class Frame:
    """A verb whose code depends on the noun it applies to."""

    verbs: frozenset[tuple[str, ...]]
    default: str
    subjects: dict[str, str]  # noun stem -> code (or "none")
    weight: float = 1.0
    after: bool = True
    """Also look just after the verb ("collapse of the roof"); not for "fell from the roof"."""


@dataclass(frozen=True)
class Hit:
    """A matched stretch of text and what it is evidence for."""

    code: str
    weight: float
    term: str
    source: str
    start: int
    end: int
    negated: bool = False
    cause: bool = False
    resource: bool = False
    question: bool = False
    lead: bool = False
    note: str = ""
    span: str = ""
    """The words of the text that matched, as written."""


@dataclass(frozen=True)
class Lexicon:
    """Every entry indexed by its stem sequence, with the reading rules of the cue file."""

    index: dict[tuple[str, ...], tuple[Entry, ...]]
    longest: int
    typo_words: dict[str, list[str]]  # first letter -> single-word stems eligible for typos
    negators: frozenset[str]
    false_alarm: frozenset[tuple[str, ...]]
    cause_markers: frozenset[str]
    resource_markers: frozenset[str]
    circumstance_markers: frozenset[str] = frozenset()
    frames: tuple[Frame, ...] = field(default=())


@lru_cache(maxsize=1)
def cue_data() -> dict[str, Any]:
    """The cue file, parsed once (with libyaml when present: the pure-Python parser is slow)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(CUES_FILE.read_text("utf-8"), Loader=loader)
    return data


def build_lexicon(taxonomy: Taxonomy, data: dict[str, Any]) -> Lexicon:
    """Merge taxonomy keywords and cues; a cue tier overrides the weight of a pack keyword."""
    codes = set(taxonomy.codes())
    table: dict[tuple[str, ...], dict[str | None, Entry]] = defaultdict(dict)
    ignored = {(c, str(k)) for c, ks in (data.get("ignore") or {}).items() for k in ks}
    for code, keyword in _pack_keywords(taxonomy):
        if (code, keyword) in ignored:
            continue
        _put(table, keyword, Entry(code, PACK_WEIGHT, keyword, "taxonomy"), phrase_bonus=True)
    for code, tiers in (data.get("codes") or {}).items():
        if code not in codes:
            continue
        for tier, weight in TIERS.items():
            for term in tiers.get(tier) or []:
                entry = Entry(code, weight, str(term), "cues")
                _put(table, str(term), entry, phrase_bonus=tier == "terms", override=True)
    for term in data.get("neutral") or []:
        key = stems(str(term))
        if key:
            table[key] = {None: Entry(None, 0.0, str(term), "neutral")}
    frames = tuple(_frame(f, codes) for f in data.get("frames") or [])
    for frame in frames:
        for verb in frame.verbs:
            entry = _verb(frame, verb)
            table[verb].setdefault(entry.code, entry)
    index = {k: tuple(v.values()) for k, v in table.items() if k}
    return Lexicon(
        index=index,
        longest=max((len(k) for k in index), default=1),
        typo_words=_typo_words(index),
        negators=frozenset(fold(str(w)) for w in data.get("negators") or []),
        false_alarm=frozenset(stems(str(p)) for p in data.get("false_alarm") or []),
        cause_markers=frozenset(fold(str(w)) for w in data.get("cause_markers") or []),
        resource_markers=frozenset(fold(str(w)) for w in data.get("resource_markers") or []),
        circumstance_markers=frozenset(
            fold(str(w)) for w in data.get("circumstance_markers") or []
        ),
        frames=frames,
    )


def _verb(frame: Frame, verb: tuple[str, ...]) -> Entry:
    code = frame.default if frame.default != NONE else None
    return Entry(code, PACK_WEIGHT if code else 0.0, " ".join(verb), "frame")


def _pack_keywords(taxonomy: Taxonomy) -> list[tuple[str, str]]:
    return [
        (f"{family.code}.{sub.code}", keyword)
        for family in taxonomy.families
        for sub in family.subtypes
        for keyword in sorted({*sub.keywords_en, *sub.keywords_fr})
    ]


def _put(
    table: dict[tuple[str, ...], dict[str | None, Entry]],
    term: str,
    entry: Entry,
    *,
    phrase_bonus: bool,
    override: bool = False,
) -> None:
    key = stems(term)
    if not key:
        return
    if phrase_bonus and len(key) > 1:
        entry = replace(entry, weight=entry.weight * PHRASE_BONUS)
    slot = table[key]
    if None in slot:
        return  # neutral wins
    if override or entry.code not in slot:
        slot[entry.code] = entry


def _typo_words(index: dict[tuple[str, ...], tuple[Entry, ...]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, entries in index.items():
        if len(key) == 1 and len(key[0]) >= TYPO_MIN_LEN and any(e.code for e in entries):
            out[key[0][:2]].append(key[0])
    return {k: sorted(v) for k, v in out.items()}


def _frame(data: dict[str, Any], codes: set[str]) -> Frame:
    subjects: dict[str, str] = {}
    for code, nouns in (data.get("subjects") or {}).items():
        if code != NONE and code not in codes:
            continue
        for noun in nouns:
            key = stems(str(noun))
            if key:
                subjects.setdefault(key[-1], code)
    default = str(data.get("default", NONE))
    return Frame(
        verbs=frozenset(stems(str(v)) for v in data["verbs"] if stems(str(v))),
        default=default if default in codes else NONE,
        subjects=subjects,
        weight=float(data.get("weight", 1.0)),
        after=bool(data.get("after", True)),
    )


# --- matching ----------------------------------------------------------------------------


def match(reading: Reading, lexicon: Lexicon) -> list[Hit]:
    """Every hit in the text: longest match first, then negation, cause and frames."""
    words = [t.stem for t in reading.tokens]
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        found = _longest(words, i, lexicon)
        if found is None:
            hits += _typo(reading, i, lexicon)
            i += 1
            continue
        key, entries = found
        frame = _frame_for(key, lexicon)
        hits += _hits(reading, lexicon, entries, i, i + len(key), frame)
        i += len(key)
    return _false_alarms(reading, lexicon, hits)


def _longest(
    words: list[str], i: int, lexicon: Lexicon
) -> tuple[tuple[str, ...], tuple[Entry, ...]] | None:
    for size in range(min(lexicon.longest, len(words) - i), 0, -1):
        key = tuple(words[i : i + size])
        entries = lexicon.index.get(key)
        if entries is not None:
            return key, entries
    return None


def _frame_for(key: tuple[str, ...], lexicon: Lexicon) -> Frame | None:
    return next((f for f in lexicon.frames if key in f.verbs), None)


def _hits(
    reading: Reading,
    lexicon: Lexicon,
    entries: tuple[Entry, ...],
    start: int,
    end: int,
    frame: Frame | None,
) -> list[Hit]:
    """The hits of one matched stretch, re-read by its frame when it is a framed verb."""
    base = Hit(
        code="",
        weight=0.0,
        term="",
        source="",
        start=start,
        end=end,
        negated=_negated(reading, lexicon, start),
        cause=_cause(reading, lexicon, start),
        resource=_marked(
            reading, lexicon.resource_markers, start, RESOURCE_WINDOW, scope="sentence"
        ),
        question=reading.tokens[start].sentence in reading.questions,
        lead=reading.in_lead(start),
        span=reading.span(start, end),
    )
    reread = _apply_frame(reading, frame, base, entries) if frame is not None else None
    if reread is not None:
        return [reread] if reread.code else []
    return [
        replace(base, code=e.code, weight=e.weight, term=e.term, source=e.source)
        for e in entries
        if e.code is not None
    ]


def _apply_frame(
    reading: Reading, frame: Frame, base: Hit, entries: tuple[Entry, ...]
) -> Hit | None:
    """The hit of a verb read by the nearest classified noun; None: read as listed."""
    noun, code = _subject(reading, frame, base.start, base.end)
    if noun is None or any(e.code == code for e in entries):
        return None
    if code == NONE:
        return base  # no code: the verb is evidence for nothing here
    term = f"{noun} {base.span}"
    note = f"'{term}' read as {code}, not {frame.default}"
    return replace(base, code=code, weight=frame.weight, term=term, source="frame", note=note)


def _subject(reading: Reading, frame: Frame, start: int, end: int) -> tuple[str | None, str]:
    """The nearest classified noun before the verb in its sentence, else just after it."""
    for tok in reading.window_before(start, FRAME_WINDOW, scope="sentence"):
        if tok.stem in frame.subjects:
            return tok.word, frame.subjects[tok.stem]
    for tok in reading.window_after(end, 3) if frame.after else []:
        if tok.stem in frame.subjects:
            return tok.word, frame.subjects[tok.stem]
    return None, frame.default


def _negated(reading: Reading, lexicon: Lexicon, start: int) -> bool:
    """A negator among the few content words before, in the same clause ("pas de fuite")."""
    content = 0
    for tok in reading.window_before(start, 2 * NEGATION_WINDOW):
        if tok.word in lexicon.negators:
            return True
        content += len(tok.word) > SHORT
        if content >= NEGATION_WINDOW:
            return False
    return False


def _cause(reading: Reading, lexicon: Lexicon, start: int) -> bool:
    """A stated cause ("since the storm") or a circumstance ("in the storm")."""
    return _marked(reading, lexicon.cause_markers, start, CAUSE_WINDOW) or _marked(
        reading, lexicon.circumstance_markers, start, CIRCUMSTANCE_WINDOW
    )


def _marked(
    reading: Reading, markers: frozenset[str], start: int, size: int, scope: str = "clause"
) -> bool:
    return any(t.word in markers for t in reading.window_before(start, size, scope))


def _typo(reading: Reading, i: int, lexicon: Lexicon) -> list[Hit]:
    """A long word one or two letters away from a long single-word keyword."""
    word = reading.tokens[i].stem
    if len(word) < TYPO_MIN_LEN or not word.isalpha():
        return []
    candidates = lexicon.typo_words.get(word[:2], [])
    best = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
    if best is None:
        return []
    entries = lexicon.index[(best[0],)]
    hits = _hits(reading, lexicon, entries, i, i + 1, None)
    return [replace(h, weight=min(h.weight, TYPO_WEIGHT), source="typo") for h in hits]


def _false_alarms(reading: Reading, lexicon: Lexicon, hits: list[Hit]) -> list[Hit]:
    """Hits in a sentence that calls itself a false alarm (or in the question it answers)."""
    words = [t.stem for t in reading.tokens]
    cancelled: set[int] = set()
    for key in lexicon.false_alarm:
        size = len(key)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) == key:
                sentence = reading.tokens[i].sentence
                cancelled.add(sentence)
                if sentence - 1 in reading.questions:
                    cancelled.add(sentence - 1)
    if not cancelled:
        return hits
    return [
        replace(h, negated=True) if reading.tokens[h.start].sentence in cancelled else h
        for h in hits
    ]
