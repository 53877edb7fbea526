"""Qualitative severity cues: words that defend a lower bound when the text gives no count.

"many injured", "windows broken kilometres away", "aucun blessé": each cue of
``data/severity_cues.yaml`` sets one fact; counts read from the text win over cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from agent.errors import ConfigError
from agent.rules import cue_needs
from agent.rules.count_words import NUM, WORDS_SLOT, fill, parse_number, words_for
from agent.rules.hedges import hedged
from agent.rules.negation import negated

CUES_FILE = Path(__file__).parent / "data" / "severity_cues.yaml"
SITUATION_FILE = Path(__file__).parent / "data" / "situation_cues.yaml"
"""Situation facts stated in words (grid lost, files encrypted, an evacuation order)."""
CUE_FILES = (CUES_FILE, SITUATION_FILE)


NO_WORDS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Cue:
    """Words that defend a lower bound for one fact when the text gives no count."""

    fact: str
    value: Any
    patterns: tuple[str, ...]
    """As written, ``{NUM}`` made :data:`~agent.rules.count_words.NUM`: see :func:`compiled`."""
    unless: tuple[str, ...] = ()
    counted: bool = False
    """The patterns hold ``{NUM}``: the fact is the count read there times ``value``."""
    needs: tuple[cue_needs.Needs, ...] = ()
    """Per pattern, words a text must hold for it to match (:mod:`~agent.rules.cue_needs`)."""
    hedged: bool = False
    """Skip a match the clause denies or only fears (:mod:`~agent.rules.hedges`)."""


@lru_cache(maxsize=4096)
def compiled(pattern: str, words: frozenset[str] = NO_WORDS) -> re.Pattern[str]:
    """A cue pattern, its number words filled with ``words``: compiled once per process."""
    return re.compile(fill(pattern, words))


@lru_cache(maxsize=8)
def cues(path: Path = CUES_FILE) -> tuple[Cue, ...]:
    """The qualitative cues, checked once; a broken file is a pack error, not a crash later.

    Every pattern is compiled (checked) the first time a file is read; its needs are then
    kept on disk, and a later process compiles only the patterns a text may match.
    """
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: same data, ~10x faster
        raw = yaml.load(path.read_text("utf-8"), Loader=loader) or []
        items = [(item, tuple(p.replace("{NUM}", NUM) for p in item["patterns"])) for item in raw]
        needs = iter(_needs(path, [p for _, patterns in items for p in patterns]))
        return tuple(
            Cue(
                fact=item["fact"],
                value=item["value"],
                patterns=patterns,
                unless=tuple(item.get("unless", ())),
                counted=bool(item.get("counted", False)),
                needs=tuple(next(needs) for _ in patterns),
                hedged=bool(item.get("hedged", False)),
            )
            for item, patterns in items
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"severity cues {path}: {exc}") from exc


def _needs(path: Path, patterns: list[str]) -> list[cue_needs.Needs]:
    """The needs of a file's patterns: from the disk, else compile (check) them all first."""
    found = cue_needs.cached_needs(path, patterns)
    if found is not None:
        return found
    for pattern in patterns:
        compiled(pattern)  # counted ones with digits only: cheap, and checked
    found = [None if WORDS_SLOT in p else cue_needs.needs(p) for p in patterns]
    cue_needs.store_needs(path, found)
    return found


def read_cues(
    norm: str, known: dict[str, Any], spans: dict[str, tuple[int, int]] | None = None
) -> dict[str, Any]:
    """Facts the folded text states in words ("many injured", "aucun blessé", "grid lost").

    Counts already read win; for one fact the first matching cue wins; a cue the words
    just before negate ("no evacuation") does not fire.
    """
    spans = {} if spans is None else spans
    found: dict[str, Any] = {}
    for cue in (cue for path in CUE_FILES for cue in cues(path)):
        if cue.fact in known or cue.fact in found:
            continue
        if any(p in known or p in found for p in cue.unless):
            continue
        match = first_match(cue, norm)
        value = cue_value(cue, match) if match is not None else None
        if match is not None and value is not None:
            found[cue.fact], spans[cue.fact] = value, match.span()
    return found


def cue_value(cue: Cue, match: re.Match[str]) -> Any:
    """The value a matched cue sets: its own, or the count it read times its own."""
    if not cue.counted:
        return cue.value
    count = parse_number(match.group(1))
    return None if count is None else count * cue.value


def first_match(cue: Cue, norm: str) -> re.Match[str] | None:
    """The first match of a cue the words before do not negate ("no evacuation needed").

    For a ``hedged`` cue, not one its clause denies or only fears ("if the press gets it").
    """
    words = words_for(norm) if cue.counted else NO_WORDS
    for pattern, need in zip(cue.patterns, cue.needs, strict=True):
        if not cue_needs.may_match(need, norm):
            continue  # it cannot match here: not compiled
        for match in compiled(pattern, words).finditer(norm):
            if negated(norm, match.start()):
                continue
            if not (cue.hedged and hedged(norm, *match.span())):
                return match
    return None
