"""Who a notify step calls: "Call 18/112" and "Notify fire rescue" reach the same service.

SOP authors write the same call in different words: an emergency number, the service's
name, or a notification recipient (``fire_rescue``). This reads which recipients a step's
text names, so duplicate calls can be merged (:mod:`agent.rules.merge`) without merging
two different calls that share words ("Notify mayor (Code de l'environnement)" and
"Notify prefecture (Code de l'environnement)").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from agent.text import normalise, stem, tokens

EMERGENCY_NUMBERS = {"15": "samu", "17": "police", "18": "fire_rescue"}
"""French emergency numbers and the recipient each reaches."""
EU_EMERGENCY = "112"
"""Reaches fire and rescue unless the text names another emergency service (15/112, 17/112)."""
SERVICE_WORDS = {
    "pompier": "fire_rescue",
    "sdis": "fire_rescue",
    "gendarmerie": "police",
}
SERVICE_PHRASES = {
    ("fire", "service"): "fire_rescue",
    ("fire", "brigade"): "fire_rescue",
}
_UNIT = r"(?:min(?:ute)?s?|mn|h|hours?|heures?|km|m|s|%)\b"
_NUMBER = re.compile(rf"\b\d{{2,3}}\b(?![.,]\d)(?!\s*{_UNIT})")
"""A two- or three-digit number that is not a quantity (15 min, 100 m, 2.5)."""


def emergency_contacts(text: str) -> set[str]:
    """Recipients reached by the emergency numbers and service names in ``text``."""
    numbers = set(_NUMBER.findall(text))
    found = {EMERGENCY_NUMBERS[n] for n in numbers if n in EMERGENCY_NUMBERS}
    if EU_EMERGENCY in numbers and not found & {"samu", "police"}:
        found.add("fire_rescue")
    words = tokens(text)
    found |= {who for word, who in SERVICE_WORDS.items() if stem(word) in words}
    pairs = set(itertools.pairwise(words))
    found |= {who for (a, b), who in SERVICE_PHRASES.items() if (stem(a), stem(b)) in pairs}
    return found


def names_recipient(text: str, recipient: str) -> bool:
    """True when every part of ``recipient`` (``labour_inspectorate``) is a word of the text.

    A part also matches two words written apart ("CERT-FR" for ``certfr``).
    """
    present = _words(text)
    return all(stem(part) in present for part in normalise(recipient).split("_") if part)


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    """The text's content words, and each pair of neighbours written together."""
    words = tokens(text)
    return frozenset(words) | {a + b for a, b in itertools.pairwise(words)}


def contacts(text: str, recipients: Iterable[str]) -> frozenset[str]:
    """Every recipient the text calls: by number, by service name, or by its own name."""
    return _contacts(text, tuple(recipients))


@lru_cache(maxsize=8192)
def _contacts(text: str, recipients: tuple[str, ...]) -> frozenset[str]:
    named = {r for r in recipients if names_recipient(text, r)}
    return frozenset(emergency_contacts(text) | named)


def same_call(a: Collection[str], b: Collection[str]) -> bool:
    """Two notify steps make the same call: the same, non-empty set of recipients."""
    return bool(a) and set(a) == set(b)
