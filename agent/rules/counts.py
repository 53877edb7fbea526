"""How many people a report says were killed, hurt, exposed, trapped, evacuated or cut off.

A count, then who it applies to (:mod:`agent.rules.subjects`), then what happened to
them ("3 workers injured"), or the verb first ("killing 31 people"). The largest count
stated for a fact wins; a negated count ("no one hurt") is not one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.rules.count_words import NUM, fill, parse_number, words_for
from agent.rules.negation import negated
from agent.rules.not_counts import not_a_count
from agent.rules.subjects import A_PERSON, PEOPLE, PEOPLE_WHO_COLLAPSE, PUBLIC, THINGS

TO_HOSPITAL = (
    r"\s+(?:hospitali[sz]ed|in hospital|hospitalisee?s?|"
    r"(?:(?:were|was|have been|are|being)\s+)?(?:taken|rushed|transported|flown|airlifted|"
    r"evacuated|transferred|sent)\s+(?:\w+\s+){0,2}?to\s+(?:the\s+)?(?:\w+\s+)?hospitals?|"
    r"(?:ont ete |sont )?(?:transportee?s?|evacuee?s?|conduite?s?|emmenee?s?|transferee?s?) "
    r"(?:a l.hopital|au chu|aux urgences|"
    r"vers (?:le |les |l.)(?:chu|chr|hopital|hopitaux|urgences)))"
    r"\b"
)
PATTERNS: dict[str, str] = {
    "casualties.deaths": NUM + PEOPLE + r"\s+(?:dead|deaths?|killed|fatalities|fatal|died|deceased|"
    r"morts?|deces|decedes?|tues?)\b",
    "casualties.hospitalised_offsite": NUM + PUBLIC + TO_HOSPITAL,
    "casualties.hospitalised_onsite": NUM + PEOPLE + TO_HOSPITAL,
    "casualties.injured": NUM + PEOPLE + r"\s+(?:(?:slightly |lightly )?injured|hurt|wounded|"
    r"injuries|casualties|(?:legerement )?blesses?|blessees?|"
    r"(?:have |has |with )(?:minor )?(?:bruises|cuts|burns|injuries|fractures)|"
    r"(?:sont |ont ete )(?:legerement )?blessee?s?)\b",
    "casualties.exposed": NUM
    + r"(?:"
    + PEOPLE
    + r"\s+(?:exposed|intoxicated|overcome|intoxiquee?s?|incommodee?s?|contaminated|"
    r"contaminee?s?|coughing|dizzy|vomiting|nauseous|with (?:irritated|stinging) eyes|"
    r"with (?:smoke|fume) inhalation|complained of|complain of|with sore throats|"
    r"(?:ont |a )(?:ete )?(?:incommodee?s?|intoxiquee?s?|contaminee?s?)|"
    r"presentent (?:une |des )?(?:contamination|irritations?|brulures)|ont mal a la tete)"
    + r"|\s+(?:\w+\s+)?"
    + PEOPLE_WHO_COLLAPSE
    + r"\s+(?:have\s+|had\s+)?"
    r"(?:collapsed|fainted|passed out|se sont effondres|ont fait un malaise))\b",
    "casualties.trapped": NUM
    + PEOPLE
    + r"\s+(?:(?:are |is |were |still |sont |ont ete |restent )*)"
    r"(?:trapped|missing|unaccounted for|stuck|stranded|disparue?s?|bloquee?s?|coincee?s?|"
    r"portee?s? disparue?s?|refugiee?s?|piegee?s?|ensevelie?s?|buried)\b",
    "evacuation.persons": NUM + PEOPLE + r"\s+(?:(?:have been|were|are|ont ete|sont)\s+)?"
    r"(?:evacuated|sheltered|confined|evacues?|evacuees?|confines?)\b",
    "health.cases": NUM
    + PEOPLE
    + r"\s+(?:cases?|cas|se plaignent de (?:vomissements|diarrhees|nausees|maux)|"
    r"complain(?:ing)? of (?:vomiting|diarrh\w+|nausea|stomach)|"
    r"(?:are |have |ont |sont |were )?(?:sick|ill|malades|tested positive|"
    r"positifs?|presentent des (?:troubles|symptomes)|with symptoms|fell ill|reported sick))\b",
    "utilities.customers_affected": NUM + r"\s+(?:homes|households|customers|subscribers|"
    r"residents|people|habitants|foyers|clients|abonnes)(?:\s+[a-z']+){0,5}?\s+"
    r"(?:without|off supply|cut off|sans|prives|privees|have been off|are off|were off|"
    r"must boil|n.ont plus|plus d.eau|off for)\b",
}
# Verb first: "killing 31 people", "injuring at least 40", "tuant 3 personnes".
AT_LEAST = (
    r"(?:at least |more than |over |about |around |some |au moins |plus de |environ |pres de )?"
    r"(?:the |les |des )?"
)
REVERSE_PATTERNS: dict[str, str] = {
    "casualties.deaths": r"(?:killed|killing|claimed the lives of|tuant|tue)\s+" + AT_LEAST + NUM,
    "casualties.injured": r"(?:injured|injuring|wounding|hurting|blessant|has treated|have treated|"
    r"treated|ont soigne|a soigne|pris en charge|"
    r"(?:a|ont) (?:legerement |grievement )?blesse(?: legerement| grievement)?)\s+"
    + AT_LEAST
    + NUM,
    "evacuation.persons": r"(?:evacuated|evacuating|evacuation of|evacuer|evacuation de)\s+"
    + AT_LEAST
    + NUM,
}


@lru_cache(maxsize=64)
def compiled(words: frozenset[str]) -> dict[str, re.Pattern[str]]:
    """The count patterns for a text holding these number words, compiled on first use.

    Filled with the ~900 number words, each embeds a ~9,400-character tree and
    compiling them all takes a few hundred milliseconds; filled with the few words a
    report holds (:func:`~agent.rules.count_words.words_for`), a few milliseconds.
    """
    return {path: re.compile(r"\b" + fill(p, words)) for path, p in PATTERNS.items()}


@lru_cache(maxsize=64)
def compiled_reverse(words: frozenset[str]) -> dict[str, re.Pattern[str]]:
    """The verb-first patterns ("killing 31 people"), compiled on first use."""
    return {
        path: re.compile(r"\b" + fill(p, words) + r"\b") for path, p in REVERSE_PATTERNS.items()
    }


def read_counts(norm: str, spans: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """The largest count stated for each path, negated counts ("no one hurt") left out."""
    found: dict[str, Any] = {}
    words = words_for(norm)
    for path, pattern in compiled(words).items():
        matches = _overlapping(pattern, norm)
        reverse = compiled_reverse(words).get(path)
        if reverse:
            matches += reverse.finditer(norm)
        counted = [
            (count, (_qualified_start(norm, m.start()), m.end()))
            for m in matches
            if _counts(norm, m, path) and (count := parse_number(m[1])) is not None
        ]
        if counted:
            found[path], spans[path] = max(counted, key=lambda c: c[0])
    return found


_ARTICLES = ("a", "an", "un", "une")


def _overlapping(pattern: re.Pattern[str], norm: str) -> list[re.Match[str]]:
    """Every match, also those inside another: "4 dead and dozens injured" reads "dozens"."""
    matches: list[re.Match[str]] = []
    pos = 0
    while (m := pattern.search(norm, pos)) is not None:
        matches.append(m)
        pos = m.start(1) + 1
    return matches


def _counts(norm: str, match: re.Match[str], path: str) -> bool:
    """A count of people: not a negation, a clock time, the verb "a", nor things counted."""
    start, token = match.start(1), match[1]
    if negated(norm, start) or not_a_count(norm, start, token):
        return False
    if token in _ARTICLES and match.end(1) == match.end():  # verb first: "injuring a ..."
        return A_PERSON.match(norm, match.end()) is not None
    if match.end(1) < match.end() and THINGS.match(norm, match.end(1)):
        return False  # "40 detonators missing"
    return path != "evacuation.persons" or not _to_hospital(norm, match)


_CASUALTY_WORDS = re.compile(r"\b(?:blesse|injur|grave|victim|casualt|hurt)")
_TO_HOSPITAL = re.compile(
    r"\s+(?:to|towards|vers|sur|a|au|aux)\s+(?:the |l.|les |le )?(?:\w+\s+)?"
    r"(?:hospitals?|hopitals?|hopitaux|chu|chr|urgences|a&e)"
)


def _to_hospital(norm: str, match: re.Match[str]) -> bool:
    """Casualties taken away ("2 graves évacués vers le CHU"): hospital, not an evacuation."""
    if _CASUALTY_WORDS.search(match[0]):
        return True
    return _TO_HOSPITAL.match(norm, match.end()) is not None


_QUALIFIER = re.compile(
    r"\b(?:at least|more than|over|about|around|nearly|almost|up to|some|"
    r"au moins|plus de|environ|pres de|pas moins de)\s+$"
)


def _qualified_start(norm: str, start: int) -> int:
    """Where a count's words begin: "at least two dead" is quoted whole, not as "two dead"."""
    qualifier = _QUALIFIER.search(norm, max(0, start - 20), start)
    return start if qualifier is None else qualifier.start()
