"""How long an event has lasted and when the hazard arrives, in minutes (EN and FR).

"depuis 20 minutes", "two hours ago" -> ``event.elapsed_minutes``; "dans trois heures",
"within 30 min" -> ``hazard.eta_minutes``, only when the sentence is about the hazard
reaching us (a delivery due "in 2 hours" is not an ETA).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.rules.count_words import NUM_BODY, fill, parse_number, words_for
from agent.rules.not_counts import in_clock_time

UNIT_MINUTES = {"min": 1, "mn": 1, "minute": 1, "h": 60, "hour": 60, "heure": 60}
UNIT_MINUTES |= {"day": 1440, "jour": 1440, "journee": 1440, "week": 10080, "semaine": 10080}
_UNIT = r"(min|mn|minute|h|hour|heure|day|jour|journee|week|semaine)s?\b"
_SPAN = r"(?:about |around |over |more than |nearly |environ |plus de |pres de )?"
ELAPSED_PATTERNS = (
    r"\b(?:since|depuis|for|after|il y a)\s+"
    + _SPAN
    + "(half an?|the (?:last|past)|"
    + NUM_BODY
    + r")\s?"
    + _UNIT,
    r"\b(half an?|" + NUM_BODY + r")\s?" + _UNIT + r"\s+ago\b",
)
ETA_PATTERNS = (
    r"\b(?:within|in|dans|d.ici)\s+" + _SPAN + "(half an?|" + NUM_BODY + r")\s?" + _UNIT,
    r"\b" + _SPAN + "(half an?|" + NUM_BODY + r")\s?" + _UNIT + r"\s+(?:from now|to the)\b",
)


@lru_cache(maxsize=64)
def elapsed_regexes(words: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """How long it has lasted ("depuis 20 minutes"), for a text holding these number words."""
    return tuple(re.compile(fill(p, words)) for p in ELAPSED_PATTERNS)


@lru_cache(maxsize=64)
def eta_regexes(words: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """When the hazard arrives ("dans trois heures"): compiled on first use too."""
    return tuple(re.compile(fill(p, words)) for p in ETA_PATTERNS)


HAZARD_NEAR = re.compile(
    r"\b(?:reach|arriv|hit|expected|front|crest|atteind|atteint|arriver|pic|crue|flames|fire|feu)"
)


def _minutes(count: str, unit: str) -> int | None:
    value = 0.5 if count.startswith("half") else 1 if count.startswith("the") else None
    value = parse_number(count) if value is None else value
    return None if value is None else round(value * UNIT_MINUTES[unit])


_PERFECT = re.compile(r"\b(?:has|have|'s|'ve|has been|have been)\b[^.;:]{0,40}$")
_SUPPLY = re.compile(
    r"\b(?:stocks?|reserves?|autonom\w*|fuel|carburant|gazole|fioul|diesel|supplies|supply|"
    r"provisions?|enough|assez|left|restant\w*|tiendra|holds? out|last)\b[^.;:]{0,30}$"
)
"""A supply measured in time ("fuel for 8 hours", "stock pour 36 h") says how long it
lasts, not how long the event has."""
_NOW = re.compile(r"\s+(?:now|already|so far)\b")


def _lasted(norm: str, match: re.Match[str]) -> bool:
    """How long it has lasted, not when ("depuis 6h", since six o'clock) or a period to come.

    "for 2 hours" is elapsed only in the perfect ("has been off for 2 hours"), "for the
    last hour" or with "now"; "stopped for 2 hours" says how long, not since when.
    """
    lead = match[0].split()[0]
    if lead in ("since", "depuis") and in_clock_time(norm, match.start(1)):
        return False
    if _SUPPLY.search(norm, max(0, match.start() - 40), match.start()):
        return False
    if lead != "for" or "for the " in match[0] or _NOW.match(norm, match.end()):
        return True
    return _PERFECT.search(norm, max(0, match.start() - 60), match.start()) is not None


def read_durations(norm: str, spans: dict[str, tuple[int, int]] | None = None) -> dict[str, Any]:
    """How long the event has lasted ("depuis 20 minutes"), when the hazard arrives ("dans 3 h")."""
    spans = {} if spans is None else spans
    found: dict[str, Any] = {}
    words = words_for(norm)
    elapsed = [
        (minutes, m.span())
        for p in elapsed_regexes(words)
        for m in p.finditer(norm)
        if _lasted(norm, m) and (minutes := _minutes(m[1], m[2])) is not None
    ]
    if elapsed:
        found["event.elapsed_minutes"], spans["event.elapsed_minutes"] = max(elapsed)
    for pattern in eta_regexes(words):
        for m in pattern.finditer(norm):
            sentence = norm[max(0, m.start() - 80) : m.start()]
            eta = _minutes(m[1], m[2])
            if (
                eta is not None
                and HAZARD_NEAR.search(sentence)
                and "hazard.eta_minutes" not in found
            ):
                found["hazard.eta_minutes"], spans["hazard.eta_minutes"] = eta, m.span()
    return found


def elapsed_within(norm: str, start: int, end: int) -> tuple[int, tuple[int, int]] | None:
    """The longest "has lasted" duration stated between ``start`` and ``end`` (one sentence)."""
    words = words_for(norm)
    found = [
        (minutes, m.span())
        for p in elapsed_regexes(words)
        for m in p.finditer(norm, start, end)
        if _lasted(norm, m) and (minutes := _minutes(m[1], m[2])) is not None
    ]
    return max(found) if found else None
