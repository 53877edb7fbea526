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
from agent.rules.count_words import NUM, parse_number
from agent.rules.negation import negated

CUES_FILE = Path(__file__).parent / "data" / "severity_cues.yaml"
SITUATION_FILE = Path(__file__).parent / "data" / "situation_cues.yaml"
"""Situation facts stated in words (grid lost, files encrypted, an evacuation order)."""
CUE_FILES = (CUES_FILE, SITUATION_FILE)


@dataclass(frozen=True)
class Cue:
    """Words that defend a lower bound for one fact when the text gives no count."""

    fact: str
    value: Any
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[str, ...] = ()
    counted: bool = False
    """The patterns hold ``{NUM}``: the fact is the count read there times ``value``."""


@lru_cache(maxsize=8)
def cues(path: Path = CUES_FILE) -> tuple[Cue, ...]:
    """The qualitative cues, compiled once; a broken file is a pack error, not a crash later."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or []
        return tuple(
            Cue(
                fact=item["fact"],
                value=item["value"],
                patterns=tuple(re.compile(p.replace("{NUM}", NUM)) for p in item["patterns"]),
                unless=tuple(item.get("unless", ())),
                counted=bool(item.get("counted", False)),
            )
            for item in raw
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"severity cues {path}: {exc}") from exc


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
    """The first match of a cue the words before do not negate ("no evacuation needed")."""
    for pattern in cue.patterns:
        for match in pattern.finditer(norm):
            if not negated(norm, match.start()):
                return match
    return None
