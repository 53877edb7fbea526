"""How far an IT event reaches: hosts affected and personal-data records (EN and FR).

"About forty servers ... scrambled", "3 machines touchées", "14 million consumer
records": the count decides the notification (GDPR, NIS2) and the size of the
response. Hosts count only in a sentence that says they are hit; machines unplugged
"as a precaution" are a measure, not damage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.rules.count_words import NUM, fill, parse_number, words_for
from agent.rules.not_counts import in_clock_time
from agent.rules.sentences import sentence_around

Span = tuple[int, int]

HOSTS_PATTERN = (
    NUM + r"\s+(?:[\w-]+\s+){0,2}?(?:servers?|serveurs?|machines?|workstations?|postes?|pcs?|"
    r"laptops?|vms?|virtual machines|hosts?|ordinateurs?|computers?|endpoints?|hypervisors?)\b"
)
HIT = re.compile(
    r"\b(?:encrypt\w*|scrambled|will not start|won.t start|down|hit|infect\w*|touche\w*|"
    r"chiffre\w*|hors service|inaccessibles?|affiche|compromis\w*|compromised|locked|bloque\w*|"
    r"lost|perdu\w*|affected|impacte\w*|wiped|effaces?|crypt\w*|ransom\w*|rancon|unreachable|"
    r"offline|plantes?|crashed|rebooted|boot\w*|blue screen|safe mode|perte|pris|stolen|took|"
    r"vole\w*|sessions?|accessed|logged|renomme\w*)\b"
)
PRECAUTION = re.compile(
    r"\b(?:as a precaution|par precaution|disconnected|deconnecte\w*|isolated|isole\w*|unplugged|"
    r"debranche\w*|shut down|eteints?|sains|clean|healthy|intact\w*|not affected|pas touche\w*)\b"
)
_SCALE = r"(?:\s+(million|millions|m|milliard|billion))?"
RECORDS_PATTERN = (
    r"\b(\d+[.,]\d+(?=\s+(?:million|milliard|billion))|"
    + NUM[1:-1]
    + r")"
    + _SCALE
    + r"\s+(?:[\w-]+\s+){0,2}?"
    r"(?:records?|rows?|lignes|enregistrements|application files|fichiers? clients|dossiers?|"
    r"contacts?(?: clients)?|customers'? records|accounts|comptes|user accounts|patients?|"
    r"salaries|employees'? records|cartes?)\b"
)


@lru_cache(maxsize=64)
def hosts_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Hosts counted ("40 servers"), for a text holding these number words: on first use."""
    return re.compile(fill(HOSTS_PATTERN, words))


@lru_cache(maxsize=64)
def records_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Records counted ("14 million records"): compiled on first use, as the hosts."""
    return re.compile(fill(RECORDS_PATTERN, words))


DATA_NOUN = re.compile(r"\b(?:records?|rows?|lignes|enregistrements|files|fichiers)\b")
"""Nouns that are data whatever the sentence; "320 salariés" is data only beside a leak."""
_SCALES = {"million": 10**6, "millions": 10**6, "m": 10**6, "milliard": 10**9, "billion": 10**9}
DATA_EVENT = re.compile(
    r"\b(?:leak\w*|fuite de donnees|exfiltr\w*|stolen|vole\w*|breach\w*|exposed|expose\w*|"
    r"publi\w*|dump\w*|"
    r"for sale|en vente|copied|copie\w*|downloaded|telecharge\w*|sent by mistake|envoye\w*|"
    r"accessed|consulte\w*|queried|database|base de donnees|fichier)\b"
)


def _sentence(norm: str, start: int, end: int) -> str:
    a, b = sentence_around(norm, start, end)
    return norm[a:b]


def _hosts(norm: str) -> tuple[int, Span] | None:
    counted = []
    for m in hosts_pattern(words_for(norm)).finditer(norm):
        sentence = _sentence(norm, m.start(), m.end())
        count = parse_number(m[1])
        if count is None or in_clock_time(norm, m.start(1)) or m[1] in ("a", "an", "un", "une"):
            continue
        after = re.split(r"[.;!?\n]", norm[m.end() : m.end() + 40], maxsplit=1)[0]
        if PRECAUTION.search(norm[m.start() : m.end()] + after):
            continue
        if HIT.search(sentence):
            counted.append((count, m.span()))
    return max(counted) if counted else None


def _number(token: str, scale: str | None) -> float | None:
    """The value of a count ("1,2 million", "1 200 million", "forty"); ``None`` if unreadable."""
    if scale:
        if not token[0].isdigit():
            return None
        digits = "".join(token.split()).replace(",", ".")
        try:
            return float(digits) * _SCALES[scale]
        except ValueError:  # "1.200.5": no reading beats a wrong one (or a crash)
            return None
    value = parse_number(token)
    return None if value is None else float(value)


def _records(norm: str) -> tuple[int, Span] | None:
    counted = []
    for m in records_pattern(words_for(norm)).finditer(norm):
        value = _number(m[1], m[2])
        if value is None or in_clock_time(norm, m.start(1)):
            continue
        sentence = _sentence(norm, m.start(), m.end())
        if DATA_EVENT.search(sentence) or (DATA_EVENT.search(norm) and DATA_NOUN.search(m[0])):
            counted.append((round(value), m.span()))
    return max(counted) if counted else None


def read_cyber_scope(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """``systems.hosts_affected`` and ``personal_data.records``, the largest stated."""
    found: dict[str, Any] = {}
    for path, reading in (
        ("systems.hosts_affected", _hosts(norm)),
        ("personal_data.records", _records(norm)),
    ):
        if reading is not None:
            found[path], spans[path] = reading
    return found
