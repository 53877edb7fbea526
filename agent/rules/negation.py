"""Negated counts: in "no one hurt" or "aucun blessé" the count word is the negation.

The subject may be the negation too: "nobody was evacuated", "personne n'a été évacué"
(French "personne" before "ne" means nobody).
"""

from __future__ import annotations

NEGATORS = (
    "no ",
    "not ",
    "not a ",
    "not a single ",
    "aucun ",
    "aucune ",
    "pas un ",
    "pas une ",
    "ni ",
    "personne n'",
    "personne ne ",
    "personne n'a ete ",
    "personne n'est ",
    "personne n'a ",
    "nobody was ",
    "nobody has been ",
    "no one was ",
    "no one has been ",
    "none were ",
)
WINDOW = max(len(n) for n in NEGATORS)


def negated(norm: str, start: int) -> bool:
    """In "no one hurt" or "not a single injured" the count word is the negation, not a count."""
    before = norm[max(0, start - WINDOW) : start]
    return any(before.endswith(n) for n in NEGATORS)
