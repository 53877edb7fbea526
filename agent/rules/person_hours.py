"""Person-hours from a head count and how long it has lasted, stated in one sentence.

"Huit mille foyers sont privés d'électricité depuis trois heures" is 24,000 person-hours
without power, not 8,000: the Seveso Annex VI and severity bands count person-hours.
Without a duration beside the count, :mod:`agent.rules.facts` keeps one hour each.
"Since yesterday at 6 pm" is read as the hours to midnight at least (a lower bound).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.rules.count_words import NUM_BODY, fill, parse_number, words_for
from agent.rules.durations import elapsed_within
from agent.rules.sentences import Span, sentence_around

COUNTS = {
    "utilities.customers_affected": "utilities.person_hours_cut",
    "evacuation.persons": "evacuation.person_hours",
}
"""A head count and the person-hours it gives."""
YESTERDAY = re.compile(
    r"\b(?:since |depuis )?(?:yesterday|hier)(?: (morning|matin|afternoon|apres-midi))?"
    r"(?: (?:at|a|vers|around) (\d{1,2}) ?(am|pm|h\b|heures)?)?"
)
_PART_HOURS = {"morning": 12, "matin": 12, "afternoon": 6, "apres-midi": 6}
LASTED = (
    r"\b(?:lasted|lasting|which took|a dure|qui a dure|ont dure|pendant|durant)\s+"
    r"(?:about |around |over |environ |pres de |plus de )?(" + NUM_BODY + r")\s?"
    r"(h|hours?|heures?|minutes?|min)\b( et demie| and a half)?"
)
"""How long a measure lasted ("which lasted two and a half hours", "qui a duré 3 heures")."""


def _since_yesterday(norm: str, start: int, end: int) -> tuple[float, Span] | None:
    """Hours to midnight at least, from "yesterday at 6 pm" (6) or "hier matin" (12)."""
    m = YESTERDAY.search(norm, start, end)
    if m is None:
        return None
    if m[2] is not None:
        hour = int(m[2]) + (12 if m[3] == "pm" and int(m[2]) < 12 else 0)
        return (float(24 - hour) if 0 <= hour < 24 else 1.0), m.span()
    return float(_PART_HOURS.get(m[1] or "", 1)), m.span()


@lru_cache(maxsize=64)
def _lasted_regex(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(fill(LASTED, words))


def _lasted(norm: str, start: int, end: int) -> tuple[float, Span] | None:
    """The hours a stated measure lasted in this sentence, half hours included."""
    m = _lasted_regex(words_for(norm)).search(norm, start, end)
    value = parse_number(m[1]) if m else None
    if m is None or value is None:
        return None
    hours = value / 60 if m[2].startswith("min") else float(value)
    return hours + (0.5 if m[3] else 0.0), m.span()


def read_person_hours(norm: str, spans: dict[str, Span], known: dict[str, Any]) -> dict[str, Any]:
    """Person-hours for each head count whose sentence says how long it has lasted."""
    found: dict[str, Any] = {}
    for count_path, target in COUNTS.items():
        count = known.get(count_path)
        if not isinstance(count, int) or target in known or count_path not in spans:
            continue
        start, end = sentence_around(norm, *spans[count_path])
        stated = elapsed_within(norm, start, end)
        lasted = (
            (stated[0] / 60, stated[1])
            if stated
            else _lasted(norm, start, end) or _since_yesterday(norm, start, end)
        )
        if lasted is None or lasted[0] <= 1:
            continue
        found[target] = round(count * lasted[0])
        spans[target] = (
            min(spans[count_path][0], lasted[1][0]),
            max(spans[count_path][1], lasted[1][1]),
        )
    return found
