"""Deterministic extraction of facts stated in an event's free text (EN and FR).

Operators type "2 blessés, 150 salariés évacués" long before anyone fills a form.
These patterns turn such statements into facts so severity does not wait for the
form; explicit structured facts always win over what is read from text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from agent.errors import ConfigError

CUES_FILE = Path(__file__).parent / "data" / "severity_cues.yaml"

UNITS_EN = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS_EN = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
UNITS_FR = [
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
TENS_FR = ["vingt", "trente", "quarante", "cinquante", "soixante"]
# Vague quantities, read as the lowest count they can mean (severity is a lower bound).
VAGUE = {
    "a": 1,
    "an": 1,
    "une": 1,
    "several": 2,
    "many": 2,
    "a few": 2,
    "plusieurs": 2,
    "quelques": 2,
    "nombreux": 2,
    "nombreuses": 2,
    "a dozen": 12,
    "une douzaine": 12,
    "dozens": 24,
    "dozens of": 24,
    "une dizaine": 10,
    "une quinzaine": 15,
    "une vingtaine": 20,
    "une trentaine": 30,
    "une quarantaine": 40,
    "une cinquantaine": 50,
    "une centaine": 100,
    "dizaines": 20,
    "hundreds": 200,
    "centaines": 200,
    "thousands": 2000,
    "milliers": 2000,
}


def _below_hundred() -> dict[str, int]:
    """1-99 in words, EN ("twenty-three") and FR ("vingt-trois", "soixante-dix")."""
    words = {w: i + 1 for i, w in enumerate(UNITS_EN)} | {w: i + 1 for i, w in enumerate(UNITS_FR)}
    for i, ten in enumerate(TENS_EN):
        words[ten] = 20 + 10 * i
        for j, unit in enumerate(UNITS_EN[:9]):
            words[f"{ten}-{unit}"] = words[f"{ten} {unit}"] = 21 + 10 * i + j
    for i, ten in enumerate(TENS_FR):
        words[ten] = 20 + 10 * i
        words[f"{ten} et un"] = words[f"{ten}-et-un"] = 21 + 10 * i
        for j, unit in enumerate(UNITS_FR[1:9]):
            words[f"{ten}-{unit}"] = 22 + 10 * i + j
    for j, unit in enumerate(UNITS_FR[9:]):
        words[f"soixante-{unit}"] = 70 + j
        words[f"quatre-vingt-{unit}"] = 90 + j
    words["soixante et onze"] = 71
    words["quatre-vingts"] = words["quatre-vingt"] = 80
    for j, unit in enumerate(UNITS_FR[:9]):
        words[f"quatre-vingt-{unit}"] = 81 + j
    return words


def _number_words() -> dict[str, int]:
    """Counts in words up to the thousands: "three hundred", "deux cents", "two thousand"."""
    small = _below_hundred()
    words = dict(small)
    for hundred, thousand in (("hundred", "thousand"), ("cent", "mille")):
        words[hundred] = words[f"a {hundred}"] = words[f"one {hundred}"] = 100
        words[thousand] = words[f"a {thousand}"] = words[f"one {thousand}"] = 1000
    for name, value in list(small.items()):
        if value < 10:
            words[f"{name} hundred"] = words[f"{name} cents"] = words[f"{name} cent"] = 100 * value
        words[f"{name} thousand"] = words[f"{name} mille"] = 1000 * value
    return {k: v for k, v in words.items() if k not in ("a", "an")} | VAGUE


NUMBER_WORDS = _number_words()


def trie_pattern(words: list[str]) -> str:
    """One regex for many words, as a prefix tree: "twenty-three" and "twelve" share "tw".

    A flat alternation of ~900 number words is tried branch by branch at every word;
    the tree keeps reading a report to a few milliseconds. Longest match first.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict[str, Any]) -> str:
    options = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    return f"(?:{body})?" if "" in node else body


_NUM = r"(\d{1,3}(?:[ ,.]\d{3})+|\d+|" + trie_pattern(list(NUMBER_WORDS)) + r")"
# Up to three words between the count and the verb: "one operator has died", "2 agents sont".
_PEOPLE = r"(?:\s+[a-z]+){0,3}?"

_PUBLIC = (
    r"(?:\s+[a-z]+)?\s+(?:members? of the public|passengers?|residents?|pedestrians?|child|"
    r"children|spectators?|customers?|pupils?|riverains?|habitants?|passagers?|voyageurs?|"
    r"enfants?|spectateurs?)"
    r"(?:\s+[a-z]+){0,3}?"
)
_TO_HOSPITAL = (
    r"\s+(?:hospitali[sz]ed|in hospital|hospitalisee?s?|"
    r"(?:(?:were|was|have been|are|being)\s+)?(?:taken|rushed|transported|flown|airlifted)"
    r"\s+(?:\w+\s+){0,2}?to\s+(?:the\s+)?hospital|"
    r"(?:ont ete |sont )?(?:transportee?s?|evacuee?s?) "
    r"(?:a l.hopital|au chu|aux urgences|vers le chu))"
    r"\b"
)
PATTERNS: dict[str, str] = {
    "casualties.deaths": _NUM
    + _PEOPLE
    + r"\s+(?:dead|deaths?|killed|fatalities|fatal|died|deceased|"
    r"morts?|deces|decedes?|tues?)\b",
    "casualties.hospitalised_offsite": _NUM + _PUBLIC + _TO_HOSPITAL,
    "casualties.hospitalised_onsite": _NUM + _PEOPLE + _TO_HOSPITAL,
    "casualties.injured": _NUM + _PEOPLE + r"\s+(?:(?:slightly |lightly )?injured|hurt|wounded|"
    r"injuries|casualties|(?:legerement )?blesses?|blessees?)\b",
    "casualties.exposed": _NUM
    + r"(?:"
    + _PEOPLE
    + r"\s+(?:exposed|intoxicated|overcome|intoxiquee?s?|incommodee?s?)"
    + r"|\s+(?:\w+\s+)?(?:workers|people|staff|operators|employees|men|women|persons|"
    r"ouvriers|salaries|personnes|agents|operateurs)\s+(?:have\s+|had\s+)?"
    r"(?:collapsed|fainted|passed out|se sont effondres|ont fait un malaise))\b",
    "casualties.trapped": _NUM + _PEOPLE + r"\s+(?:trapped|missing|disparus?|bloques?|coinces?)\b",
    "evacuation.persons": _NUM + _PEOPLE + r"\s+(?:(?:have been|were|are|ont ete|sont)\s+)?"
    r"(?:evacuated|sheltered|confined|evacues?|evacuees?|confines?)\b",
    "utilities.customers_affected": _NUM + r"\s+(?:homes|households|customers|subscribers|"
    r"residents|people|habitants|foyers|clients|abonnes)(?:\s+[a-z']+){0,4}?\s+"
    r"(?:without|off supply|cut off|sans|prives|privees)",
}
# Verb first: "killing 31 people", "injuring at least 40", "tuant 3 personnes".
_AT_LEAST = (
    r"(?:at least |more than |over |about |around |some |au moins |plus de |environ |pres de )?"
    r"(?:the |les |des )?"
)
REVERSE_PATTERNS: dict[str, str] = {
    "casualties.deaths": r"(?:killed|killing|claimed the lives of|tuant|tue)\s+" + _AT_LEAST + _NUM,
    "casualties.injured": r"(?:injured|injuring|wounding|hurting|blessant)\s+" + _AT_LEAST + _NUM,
    "evacuation.persons": r"(?:evacuated|evacuating|evacuation of|evacuer|evacuation de)\s+"
    + _AT_LEAST
    + _NUM,
}
_COMPILED = {path: re.compile(r"\b" + p) for path, p in PATTERNS.items()}
_COMPILED_REVERSE = {path: re.compile(r"\b" + p + r"\b") for path, p in REVERSE_PATTERNS.items()}
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
    return read_text(text)[0]


def extract_spans(text: str) -> dict[str, str]:
    """For each fact read from the text, the words it was read from ("at least two dead")."""
    return read_text(text)[1]


Span = tuple[int, int]


def read_text(text: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Facts and, for each, the stretch of the original text it came from (fresh dicts)."""
    facts, spans = _read_text(text)
    return dict(facts), dict(spans)


@lru_cache(maxsize=1024)
def _read_text(text: str) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, str], ...]]:
    """One reading per text: intake, severity and the briefing ask for the same text."""
    norm = normalise(text)
    spans: dict[str, Span] = {}
    found = _read_counts(norm, spans)
    un = extract_un_number(norm)
    if un:
        found["substance.un"] = un
    if found.get("casualties.hospitalised_offsite") == found.get("casualties.hospitalised_onsite"):
        found.pop("casualties.hospitalised_onsite", None)  # the same people, members of the public
    found |= read_durations(norm, spans)
    found |= read_cues(norm, found, spans)
    # Folding keeps one character per character for the scripts we read; else show folded words.
    source = text if len(text) == len(norm) else norm
    quoted = {path: source[a:b].strip() for path, (a, b) in spans.items() if path in found}
    return tuple(found.items()), tuple(quoted.items())


def _read_counts(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """The largest count stated for each path, negated counts ("no one hurt") left out."""
    found: dict[str, Any] = {}
    for path, pattern in _COMPILED.items():
        matches = list(pattern.finditer(norm))
        reverse = _COMPILED_REVERSE.get(path)
        if reverse:
            matches += reverse.finditer(norm)
        counted = [
            (count, m.span())
            for m in matches
            if not _negated(norm, m.start(1)) and (count := parse_number(m[1])) is not None
        ]
        if counted:
            found[path], spans[path] = max(counted, key=lambda c: c[0])
    return found


UNIT_MINUTES = {"min": 1, "mn": 1, "minute": 1, "h": 60, "hour": 60, "heure": 60}
UNIT_MINUTES |= {"day": 1440, "jour": 1440, "journee": 1440, "week": 10080, "semaine": 10080}
_UNIT = r"(min|mn|minute|h|hour|heure|day|jour|journee|week|semaine)s?\b"
_SPAN = r"(?:about |around |over |more than |nearly |environ |plus de |pres de )?"
ELAPSED = (
    re.compile(
        r"\b(?:since|depuis|for|after|il y a)\s+"
        + _SPAN
        + "(half an?|"
        + _NUM[1:-1]
        + r")\s?"
        + _UNIT
    ),
    re.compile(r"\b(half an?|" + _NUM[1:-1] + r")\s?" + _UNIT + r"\s+ago\b"),
)
ETA = (
    re.compile(
        r"\b(?:within|in|dans|d.ici)\s+" + _SPAN + "(half an?|" + _NUM[1:-1] + r")\s?" + _UNIT
    ),
    re.compile(
        r"\b" + _SPAN + "(half an?|" + _NUM[1:-1] + r")\s?" + _UNIT + r"\s+(?:from now|to the)\b"
    ),
)
HAZARD_NEAR = re.compile(
    r"\b(?:reach|arriv|hit|expected|front|crest|atteind|atteint|arriver|pic|crue|flames|fire|feu)"
)


def _minutes(count: str, unit: str) -> int | None:
    value = 0.5 if count.startswith("half") else parse_number(count)
    return None if value is None else round(value * UNIT_MINUTES[unit])


def read_durations(norm: str, spans: dict[str, Span] | None = None) -> dict[str, Any]:
    """How long the event has lasted ("depuis 20 minutes"), when the hazard arrives ("dans 3 h")."""
    spans = {} if spans is None else spans
    found: dict[str, Any] = {}
    elapsed = [
        (minutes, m.span())
        for p in ELAPSED
        for m in p.finditer(norm)
        if (minutes := _minutes(m[1], m[2])) is not None
    ]
    if elapsed:
        found["event.elapsed_minutes"], spans["event.elapsed_minutes"] = max(elapsed)
    for pattern in ETA:
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


@dataclass(frozen=True)
class Cue:
    """Words that defend a lower bound for one fact when the text gives no count."""

    fact: str
    value: Any
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def cues(path: Path = CUES_FILE) -> tuple[Cue, ...]:
    """The qualitative cues, compiled once; a broken file is a pack error, not a crash later."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or []
        return tuple(
            Cue(
                fact=item["fact"],
                value=item["value"],
                patterns=tuple(re.compile(p) for p in item["patterns"]),
                unless=tuple(item.get("unless", ())),
            )
            for item in raw
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"severity cues {path}: {exc}") from exc


def read_cues(
    norm: str, known: dict[str, Any], spans: dict[str, Span] | None = None
) -> dict[str, Any]:
    """Facts the folded text states qualitatively ("many injured", "aucun blessé").

    Counts already read win; for one fact the first matching cue wins.
    """
    spans = {} if spans is None else spans
    found: dict[str, Any] = {}
    for cue in cues():
        if cue.fact in known or cue.fact in found:
            continue
        if any(p in known or p in found for p in cue.unless):
            continue
        match = next((m for p in cue.patterns if (m := p.search(norm))), None)
        if match is not None:
            found[cue.fact], spans[cue.fact] = cue.value, match.span()
    return found


NEGATORS = ("no ", "not ", "not a ", "not a single ", "aucun ", "pas un ", "ni ")


def _negated(norm: str, start: int) -> bool:
    """In "no one hurt" or "not a single injured" the count word is the negation, not a count."""
    before = norm[max(0, start - 14) : start]
    return any(before.endswith(n) for n in NEGATORS)


def extract_un_number(norm: str) -> str | None:
    """A UN number written as such, else the UN number of a named substance."""
    match = UN_PATTERN.search(norm)
    if match:
        return match[1]
    for name, un in SUBSTANCE_UN.items():
        if re.search(rf"\b{re.escape(name)}\b", norm):
            return un
    return None
