"""Deterministic extraction of facts stated in an event's free text (EN and FR).

Operators type "2 blessés, 150 salariés évacués" long before anyone fills a form.
These patterns turn such statements into facts so severity does not wait for the
form; explicit structured facts always win over what is read from text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "douze": 12,
    "vingt": 20,
    "cent": 100,
    # Vague quantities, read as the lowest count they can mean (severity is a lower bound).
    "several": 2,
    "many": 2,
    "plusieurs": 2,
    "nombreux": 2,
    "nombreuses": 2,
    "dozens": 24,
    "dizaines": 20,
    "hundreds": 200,
    "centaines": 200,
    "thousands": 2000,
    "milliers": 2000,
}
_NUM = (
    r"(\d{1,3}(?:[ ,.]\d{3})+|\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
)
# Up to three words between the count and the verb: "one operator has died", "2 agents sont".
_PEOPLE = r"(?:\s+[a-z]+){0,3}?"

PATTERNS: dict[str, str] = {
    "casualties.deaths": _NUM + _PEOPLE + r"\s+(?:dead|deaths?|killed|fatalities|died|"
    r"morts?|deces|decedes?|tues?)\b",
    "casualties.hospitalised_onsite": _NUM + _PEOPLE + r"\s+(?:hospitali[sz]ed|in hospital|"
    r"hospitalises?|hospitalisees?)\b",
    "casualties.injured": _NUM + _PEOPLE + r"\s+(?:(?:slightly |lightly )?injured|hurt|wounded|"
    r"injuries|(?:legerement )?blesses?|blessees?)\b",
    "casualties.exposed": _NUM + _PEOPLE + r"\s+(?:exposed|intoxicated|intoxiques?|incommodes?)\b",
    "casualties.trapped": _NUM + _PEOPLE + r"\s+(?:trapped|missing|disparus?|bloques?|coinces?)\b",
    "evacuation.persons": _NUM + _PEOPLE + r"\s+(?:(?:have been|were|are|ont ete|sont)\s+)?"
    r"(?:evacuated|sheltered|confined|evacues?|evacuees?|confines?)\b",
    "utilities.customers_affected": _NUM + r"\s+(?:homes|households|customers|subscribers|"
    r"foyers|clients|abonnes)\s+(?:without|sans|prives)",
}
# Verb first: "killing 31 people", "injuring at least 40", "tuant 3 personnes".
_AT_LEAST = r"(?:at least |more than |over |au moins |plus de )?"
REVERSE_PATTERNS: dict[str, str] = {
    "casualties.deaths": r"(?:killed|killing|claimed the lives of|tuant|tue)\s+" + _AT_LEAST + _NUM,
    "casualties.injured": r"(?:injured|injuring|wounding|hurting|blessant)\s+" + _AT_LEAST + _NUM,
    "evacuation.persons": r"(?:evacuated|evacuating|evacuation of|evacuer|evacuation de)\s+"
    + _AT_LEAST
    + _NUM,
}
UN_PATTERN = re.compile(r"\b(?:un|onu|n°\s*onu|un\s*no\.?)\s*[-:]?\s*(\d{4})\b")

# Common substances an operator names instead of a UN number (ERG index).
SUBSTANCE_UN = {
    "ammonia": "1005",
    "ammoniac": "1005",
    "nh3": "1005",
    "chlorine": "1017",
    "chlore": "1017",
    "gasoline": "1203",
    "petrol": "1203",
    "essence": "1203",
    "diesel": "1202",
    "gazole": "1202",
    "gasoil": "1202",
    "propane": "1978",
    "lpg": "1075",
    "gpl": "1075",
    "hydrogen sulphide": "1053",
    "hydrogen sulfide": "1053",
    "h2s": "1053",
    "sulphuric acid": "1830",
    "sulfuric acid": "1830",
    "acide sulfurique": "1830",
    "hydrochloric acid": "1789",
    "acide chlorhydrique": "1789",
    "crude oil": "1267",
    "petrole brut": "1267",
    "vinyl chloride": "1086",
    "chlorure de vinyle": "1086",
    "jet fuel": "1863",
    "kerosene": "1223",
    "methanol": "1230",
    "methane": "1971",
    "natural gas": "1971",
    "gaz naturel": "1971",
}


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower-case and strip accents, so EN and FR patterns stay simple."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_number(token: str) -> int | None:
    """Read '12', '1 200', '1,200' or a number word; None when it is not a count."""
    token = token.strip()
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    digits = re.sub(r"[\s.,]", "", token)
    return int(digits) if digits.isdigit() else None


def extract_facts(text: str) -> dict[str, Any]:
    """Facts stated in the text, as a flat mapping of dotted fact paths."""
    norm = normalise(text)
    found: dict[str, Any] = {}
    for path, pattern in PATTERNS.items():
        counts = [parse_number(m[1]) for m in re.finditer(r"\b" + pattern, norm)]
        reverse = REVERSE_PATTERNS.get(path)
        if reverse:
            counts += [parse_number(m[1]) for m in re.finditer(r"\b" + reverse + r"\b", norm)]
        values = [c for c in counts if c is not None]
        if values:
            found[path] = max(values)
    un = extract_un_number(norm)
    if un:
        found["substance.un"] = un
    return found


def extract_un_number(norm: str) -> str | None:
    """A UN number written as such, else the UN number of a named substance."""
    match = UN_PATTERN.search(norm)
    if match:
        return match[1]
    for name, un in SUBSTANCE_UN.items():
        if re.search(rf"\b{re.escape(name)}\b", norm):
            return un
    return None
