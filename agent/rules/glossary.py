"""French crisis words in English, so a French report finds the English precedents.

Most of the archive is written in English, so a French report shared few terms with it:
on the understanding corpus nearly half the French events found no precedent, against a
quarter of the English ones. A French report's query is also read through a glossary of
crisis vocabulary (``data/glossary_fr_en.yaml``: "fuite" -> leak, "rançongiciel" ->
ransomware), word by word and for a few set phrases ("fuite de données"). Words without
an entry stay as written (names, numbers, French precedents). English text is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from agent.text import normalise, stem, tokens

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary_fr_en.yaml"
WORD = re.compile(r"[a-z0-9]+")
FRENCH_MARKERS = frozenset(
    {"le", "la", "les", "des", "du", "une", "est", "sont", "dans", "sur", "avec", "pour"}
    | {"pas", "au", "aux", "qui", "ont", "ete", "il", "elle", "nous", "l", "d"}
)
"""Function words that say a text is French (two of them are enough)."""


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict[str, tuple[str, ...]], tuple[tuple[re.Pattern[str], str], ...]]:
    """Single words by stem, and set phrases as patterns, with their English terms."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, list[str]] = yaml.load(GLOSSARY_FILE.read_text("utf-8"), Loader=loader)
    words = {stem(k): tuple(v) for k, v in data.items() if " " not in k}
    phrases = tuple(
        (re.compile(rf"\b{re.escape(k)}\b"), " ".join(v)) for k, v in data.items() if " " in k
    )
    return words, phrases


def english_for(word: str) -> tuple[str, ...]:
    """The English terms of one French crisis word ("incendie" -> fire), none if unknown."""
    words, _ = _glossary()
    return words.get(stem(normalise(word).strip()), ())


def looks_french(text: str) -> bool:
    """At least two French function words (EN reports keep their query as it was)."""
    words = WORD.findall(normalise(text).replace("'", " "))
    return sum(w in FRENCH_MARKERS for w in words) >= 2


@lru_cache(maxsize=1024)
def translated_groups(text: str) -> tuple[tuple[str, ...], ...]:
    """The query read in English: one group per word, its English terms as alternatives.

    A word without an entry is its own group; the text is empty when it is not French.
    """
    if not looks_french(text):
        return ()
    words, phrases = _glossary()
    norm = normalise(text)
    groups: list[tuple[str, ...]] = []
    for pattern, terms in phrases:
        if pattern.search(norm):
            groups.append(tuple(tokens(terms)))
            norm = pattern.sub(" ", norm)
    for token in tokens(norm):
        found = words.get(token)
        groups.append(tuple(t for term in found for t in tokens(term)) if found else (token,))
    return tuple(g for g in groups if g)


__all__ = ["english_for", "looks_french", "translated_groups"]
