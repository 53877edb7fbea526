"""What an act acts on: objects the sentence itself puts out of the act's reach.

A pattern's ``with`` concept is looked for in the act's sentence, but some of its
occurrences are not what the act is done to: "à partir du poste de commande" is
where the act starts from, "loin des sous-sols" is where people are kept from,
"wait for the wind to drop, then..." is a condition waited out, and in "shed comfort
loads, but fire pumps are not shed" the fire pumps are the subject of a denied act.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.guard.concepts import FILLERS, Occurrence
from agent.guard.negation import HARD_BREAKS
from agent.guard.tokens import Token

SOURCE_WORDS = frozenset(["depuis"])
"""What follows "depuis" ("à partir de" is folded to it) is where the act starts from."""
AWAY_WORDS = frozenset(["loin", "far", "away", "ecart"])
""""loin des fosses", "far from the pit", "away from the basement", "à l'écart de"."""
SUBJECT_NEGATORS = frozenset(["not", "never", "pas", "jamais", "ne", "n"])
"""A denied verb after its subject ("are not shed", "ne sont pas délestés"), not "sans"."""
LIST_WORDS = frozenset(["et", "and", "ou", "or"])
WAIT_WORDS = ("wait", "attend")
WAIT_DENIED = frozenset(
    ["not", "no", "don", "dont", "t", "never", "without", "sans", "pas", "ne", "n", "need",
     "besoin", "peine", "inutile", "cannot", "can", "rather", "instead", "plus"]
)
"""Words before a wait that deny it ("don't wait for the wind to drop", "can't wait")."""


def previous_word(tokens: Sequence[Token], start: int) -> str:
    """The last word before ``start`` that is neither a mark nor a filler ('' when none)."""
    before = [t.text for t in tokens[:start] if not t.mark and t.text not in FILLERS]
    return before[-1] if before else ""


def out_of_reach(tokens: Sequence[Token], start: int) -> bool:
    """The object at ``start`` is a starting point or a place kept away from.

    A list shares its preposition: "loin des sous-sols et des fosses".
    """
    begin = max((i + 1 for i in range(start) if tokens[i].mark), default=0)
    words = [t.text for t in tokens[begin:start] if t.text not in FILLERS][-4:]
    if not words:  # "right away, no time to fetch the set": a comma ends the place kept away
        return False
    if words[-1] in LIST_WORDS:
        return bool(set(words[:-1]) & (SOURCE_WORDS | AWAY_WORDS))
    return words[-1] in SOURCE_WORDS | AWAY_WORDS


def awaited(tokens: Sequence[Token], obj: Occurrence, act: Occurrence) -> bool:
    """The object is what is waited out before the act: "wait for the wind to drop, then ...".

    Only when the act comes after the wait: in "wait for the investigation before telling
    the regulator" the wait is the act itself, and in "give the waiting reporters..." the
    act comes first.
    """
    for i in range(obj.start - 1, -1, -1):
        token = tokens[i]
        if token.mark or token.text in HARD_BREAKS:
            return False
        if token.text.startswith(WAIT_WORDS):
            before = {t.text for t in tokens[max(0, i - 3) : i]}
            return act.start > i and not before & WAIT_DENIED
    return False


def subject_of_denied_act(
    tokens: Sequence[Token],
    obj: Occurrence,
    acts: Sequence[Occurrence],
    negated: Sequence[bool],
    do: frozenset[str],
) -> bool:
    """The object is the subject of the same act, denied: "fire pumps are not shed".

    The negation must stand right before the verb: "production sans passer par les tests"
    is no subject of a denied deploy, nor "la cuve" of "pas le temps d'aller chercher".
    """
    for act, neg in zip(acts, negated, strict=True):
        if not neg or act.concept not in do or act.start < obj.end:
            continue
        between = {t.text for t in tokens[obj.end : act.start]}
        right_before = {t.text for t in tokens[max(obj.end, act.start - 2) : act.start]}
        if right_before & SUBJECT_NEGATORS and not between & (HARD_BREAKS | {":"}):
            return True
    return False
