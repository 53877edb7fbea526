"""Words that look like counts and are not: clock times and the French verb "a".

Operators log times everywhere ("16:06 building evacuated", "à 14h30", "at 3 pm",
"22h") and a count reader that sees "06 building evacuated" reports six people.
French writes "il a évacué", "il y a", "qui a": the verb *avoir*, never the English
article "a" (one). Readers ask here before they take a number.
"""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]

CLOCK_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-3])\s?[:h]\s?[0-5]\d\b"  # 16:06, 14h30, 23 h 40
    r"|\b(?:[01]?\d|2[0-3])\s?h\b(?!\s*(?:ours?|eures?|rs?)\b)"  # 22h, 6 h (not "6 hours")
    r"|\b(?:1[0-2]|0?\d)(?:[:.][0-5]\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)"  # 3 pm, 11.30 am
)
"""A time of day as operators write it, EN and FR, in folded text."""

_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "est",
        "et",
        "une",
        "un",
        "sur",
        "dans",
        "pour",
        "avec",
        "pas",
        "au",
        "aux",
        "ont",
        "sont",
        "nous",
        "il",
        "elle",
        "qui",
        "que",
        "ete",
        "vers",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "is",
        "of",
        "with",
        "on",
        "was",
        "were",
        "are",
        "to",
        "at",
        "has",
        "have",
        "we",
        "it",
        "from",
        "by",
        "this",
        "that",
    ]
)
_WORD = re.compile(r"[a-z]+")
_VERB_BEFORE = re.compile(r"(?:\b(?:il|elle|on|qui|y|ca|cela|ce qui)|n.)\s+$")
_VERB_AFTER = re.compile(
    r"\s+(?:ete|eu|fait|pu|dit|pris|mis|(?:evacu|confin|bless|tu|intoxiqu|incommod)ee?s?)\b"
)


@lru_cache(maxsize=1024)
def clock_spans(norm: str) -> tuple[Span, ...]:
    """Where the folded text writes a time of day."""
    return tuple(m.span() for m in CLOCK_TIME.finditer(norm))


def in_clock_time(norm: str, start: int) -> bool:
    """True when the number starting here is part of a time of day ("16:06", "at 3 pm")."""
    return any(a <= start < b for a, b in clock_spans(norm))


@lru_cache(maxsize=1024)
def is_french(norm: str) -> bool:
    """More French function words than English ones: the text is French."""
    words = _WORD.findall(norm)
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return fr > en


def verb_a(norm: str, start: int, token: str) -> bool:
    """True when the "a" at ``start`` is French *avoir* ("a évacué", "il y a"), not "one"."""
    if token != "a":
        return False
    if is_french(norm):
        return True
    before = norm[max(0, start - 10) : start]
    after = norm[start + 1 : start + 30]
    return _VERB_BEFORE.search(before) is not None or _VERB_AFTER.match(after) is not None


def not_a_count(norm: str, start: int, token: str) -> bool:
    """A clock time or the French verb "a": words that look like a count and are not one."""
    return in_clock_time(norm, start) or verb_a(norm, start, token)
