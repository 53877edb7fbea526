"""Statements a report denies or only fears: "not on the national news yet", "if the press gets it".

A cue marked ``hedged`` in the cue files reads only what the text says has happened:
"before the national press gets hold of it" and "si les chaînes d'info reprennent
l'affaire" are plans for a reach not reached, and "la presse régionale n'en parle pas"
denies it. Words are looked for in the same clause, a few words either side.
"""

from __future__ import annotations

import re

BEFORE = re.compile(
    r"\b(?:no|not|never|nobody|without|if|before|unless|could|might|would|may|"
    r"(?:at )?risk (?:of|that)|fears? that|feared|worried|worries that|aucun\w*|pas|jamais|"
    r"sans|si|avant|pourrai\w*|risque de|risquent|crain\w*)\b"
    r"[^.;:!?]{0,40}$"
)
"""A negation, a condition or a fear earlier in the clause, at most a few words back."""
AFTER = re.compile(
    r"^[^.;:!?]{0,40}?\b(?:(?:has|have|is|are|did|does|was|were)(?: not|n't)|"
    r"(?:ne|n')\s*(?:\w+\s+){1,2}?(?:pas|jamais|plus|rien))\b"
)
"""A denial right after: "the national press has not picked it up", "n'en parle pas"."""
WINDOW = 60


def hedged(norm: str, start: int, end: int) -> bool:
    """True if the words at ``start:end`` of the folded text are denied or only feared."""
    before = norm[max(0, start - WINDOW) : start]
    after = norm[end : end + WINDOW]
    return bool(BEFORE.search(before) or AFTER.search(after))
