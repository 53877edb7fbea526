"""Negated counts: in "no one hurt" or "aucun blessé" the count word is the negation."""

from __future__ import annotations

NEGATORS = ("no ", "not ", "not a ", "not a single ", "aucun ", "pas un ", "ni ")


def negated(norm: str, start: int) -> bool:
    """In "no one hurt" or "not a single injured" the count word is the negation, not a count."""
    before = norm[max(0, start - 14) : start]
    return any(before.endswith(n) for n in NEGATORS)
