"""Numbers below a stated minimum: "the unit needs 5 on shift; run it with 3".

A crew, a dose or a distance written as figures carries no concept word: "with 3
operators" says nothing short-handed until the text has said 5 are needed. The guard
fills the built-in concept ``below_minimum`` (declared empty in ``lexicon.yaml``) on a
figure that a "with", "only", "avec", "seulement" puts under a minimum the same text states.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.guard.concepts import FILLERS, Occurrence
from agent.guard.tokens import Token

BELOW_MINIMUM = "below_minimum"
REQUIRED_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(c.split())
    for c in (
        "needs", "need", "requires", "require", "required", "minimum", "at least",
        "au moins", "il faut", "exige", "minimum de", "minimal", "minimale",
    )
)
"""What states a minimum: "needs 5 on shift", "requires 3 operators", "il faut 4 agents"."""
USE_WORDS = frozenset(["with", "avec", "only", "just", "seulement", "juste", "que"])
"""What puts a figure to use: "run it with 3", "avec 2 opérateurs", "only 2 on shift"."""


def _number(token: Token) -> int | None:
    return int(token.text) if token.text.isdigit() and len(token.text) <= 4 else None


def required_number(sentences: Sequence[Sequence[Token]]) -> int | None:
    """The largest figure the text states as a minimum, or None."""
    found: list[int] = []
    for tokens in sentences:
        words = [t.text for t in tokens if not t.mark]
        for i, word in enumerate(words):
            if not word.isdigit() or len(word) > 4:
                continue
            raw = tuple(words[max(0, i - 2) : i])
            content = tuple(w for w in words[max(0, i - 4) : i] if w not in FILLERS)[-2:]
            if any(_ends_with(before, c) for before in (raw, content) for c in REQUIRED_CUES):
                found.append(int(word))
    return max(found) if found else None


def _ends_with(words: tuple[str, ...], cue: tuple[str, ...]) -> bool:
    return len(cue) <= len(words) and words[-len(cue) :] == cue


def below_minimum(tokens: Sequence[Token], required: int | None) -> list[Occurrence]:
    """Figures of the sentence put to use under the stated minimum."""
    if required is None:
        return []
    out: list[Occurrence] = []
    for i, token in enumerate(tokens):
        value = _number(token)
        if value is None or value >= required:
            continue
        if i and tokens[i - 1].text in USE_WORDS:
            out.append(Occurrence(BELOW_MINIMUM, i, i + 1, token.text))
    return out
