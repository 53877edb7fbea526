"""How many people a report says were killed, hurt, exposed, trapped, evacuated or cut off.

A count, then who it applies to (:mod:`agent.rules.subjects`), then what happened to
them ("3 workers injured"), or the verb first ("killing 31 people"). The largest count
stated for a fact wins; a negated count ("no one hurt") is not one.
"""

from __future__ import annotations

import re
from typing import Any

from agent.rules.count_words import NUM, parse_number
from agent.rules.negation import negated
from agent.rules.subjects import PEOPLE, PEOPLE_WHO_COLLAPSE, PUBLIC

TO_HOSPITAL = (
    r"\s+(?:hospitali[sz]ed|in hospital|hospitalisee?s?|"
    r"(?:(?:were|was|have been|are|being)\s+)?(?:taken|rushed|transported|flown|airlifted)"
    r"\s+(?:\w+\s+){0,2}?to\s+(?:the\s+)?hospital|"
    r"(?:ont ete |sont )?(?:transportee?s?|evacuee?s?) "
    r"(?:a l.hopital|au chu|aux urgences|vers le chu))"
    r"\b"
)
PATTERNS: dict[str, str] = {
    "casualties.deaths": NUM + PEOPLE + r"\s+(?:dead|deaths?|killed|fatalities|fatal|died|deceased|"
    r"morts?|deces|decedes?|tues?)\b",
    "casualties.hospitalised_offsite": NUM + PUBLIC + TO_HOSPITAL,
    "casualties.hospitalised_onsite": NUM + PEOPLE + TO_HOSPITAL,
    "casualties.injured": NUM + PEOPLE + r"\s+(?:(?:slightly |lightly )?injured|hurt|wounded|"
    r"injuries|casualties|(?:legerement )?blesses?|blessees?)\b",
    "casualties.exposed": NUM
    + r"(?:"
    + PEOPLE
    + r"\s+(?:exposed|intoxicated|overcome|intoxiquee?s?|incommodee?s?)"
    + r"|\s+(?:\w+\s+)?"
    + PEOPLE_WHO_COLLAPSE
    + r"\s+(?:have\s+|had\s+)?"
    r"(?:collapsed|fainted|passed out|se sont effondres|ont fait un malaise))\b",
    "casualties.trapped": NUM + PEOPLE + r"\s+(?:trapped|missing|disparus?|bloques?|coinces?)\b",
    "evacuation.persons": NUM + PEOPLE + r"\s+(?:(?:have been|were|are|ont ete|sont)\s+)?"
    r"(?:evacuated|sheltered|confined|evacues?|evacuees?|confines?)\b",
    "utilities.customers_affected": NUM + r"\s+(?:homes|households|customers|subscribers|"
    r"residents|people|habitants|foyers|clients|abonnes)(?:\s+[a-z']+){0,4}?\s+"
    r"(?:without|off supply|cut off|sans|prives|privees)",
}
# Verb first: "killing 31 people", "injuring at least 40", "tuant 3 personnes".
AT_LEAST = (
    r"(?:at least |more than |over |about |around |some |au moins |plus de |environ |pres de )?"
    r"(?:the |les |des )?"
)
REVERSE_PATTERNS: dict[str, str] = {
    "casualties.deaths": r"(?:killed|killing|claimed the lives of|tuant|tue)\s+" + AT_LEAST + NUM,
    "casualties.injured": r"(?:injured|injuring|wounding|hurting|blessant)\s+" + AT_LEAST + NUM,
    "evacuation.persons": r"(?:evacuated|evacuating|evacuation of|evacuer|evacuation de)\s+"
    + AT_LEAST
    + NUM,
}
COMPILED = {path: re.compile(r"\b" + p) for path, p in PATTERNS.items()}
COMPILED_REVERSE = {path: re.compile(r"\b" + p + r"\b") for path, p in REVERSE_PATTERNS.items()}


def read_counts(norm: str, spans: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """The largest count stated for each path, negated counts ("no one hurt") left out."""
    found: dict[str, Any] = {}
    for path, pattern in COMPILED.items():
        matches = list(pattern.finditer(norm))
        reverse = COMPILED_REVERSE.get(path)
        if reverse:
            matches += reverse.finditer(norm)
        counted = [
            (count, (_qualified_start(norm, m.start()), m.end()))
            for m in matches
            if not negated(norm, m.start(1)) and (count := parse_number(m[1])) is not None
        ]
        if counted:
            found[path], spans[path] = max(counted, key=lambda c: c[0])
    return found


_QUALIFIER = re.compile(
    r"\b(?:at least|more than|over|about|around|nearly|almost|up to|some|"
    r"au moins|plus de|environ|pres de|pas moins de)\s+$"
)


def _qualified_start(norm: str, start: int) -> int:
    """Where a count's words begin: "at least two dead" is quoted whole, not as "two dead"."""
    qualifier = _QUALIFIER.search(norm, max(0, start - 20), start)
    return start if qualifier is None else qualifier.start()
