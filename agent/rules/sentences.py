"""Sentence bounds in a normalised event text, for readers that pair facts within a sentence.

A count and its duration ("8 000 foyers privés d'électricité depuis trois heures"), an
outage and the objective it exceeds, hosts and their verb: each reader asks "which
sentence is this in?", and they must all answer alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]

BREAKS = ".;!?\n"
"""What ends a sentence (or a clause as strong as one) for these readers."""


def sentence_around(norm: str, start: int, end: int, breaks: str = BREAKS) -> Span:
    """The bounds of the sentence holding ``norm[start:end]``."""
    first = max(norm.rfind(c, 0, start) for c in breaks) + 1
    ends = [i for i in (norm.find(c, end) for c in breaks) if i >= 0]
    return first, min(ends, default=len(norm))


def sentence_spans(norm: str, breaks: str = BREAKS) -> list[Span]:
    """Every sentence's bounds; a dot inside a number ("2.5 hours") ends none."""
    return [m.span() for m in _sentence_regex(breaks).finditer(norm)]


@lru_cache(maxsize=4)
def _sentence_regex(breaks: str) -> re.Pattern[str]:
    body = "[^" + re.escape(breaks) + "]"
    return re.compile(f"{body}+(?:\\.\\d{body}*)*")
