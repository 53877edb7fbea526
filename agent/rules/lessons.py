"""Precedents as lessons: what was done, how it ended, what went wrong.

A past incident's actions are written as history ("Residents fled ...", "Fire crews began
cooling ..."): they say what happened, not what to do. This module judges each one so the
planner can keep them beside the plan and let one in only when it is safe to:

* **condemned**: the action reports its own failure, a lesson forbids it, or the outcome's
  toll names the people who did it (12 firefighters died at West): never a step;
* **narrative**: past tense or descriptive: a lesson, never a step;
* **vetted**: an imperative whose verb opens an SOP step of the same action type: may enter
  the plan as an off-SOP step, with the precedent as its reason.

Whether an action maps to an SOP step is the planner's call (it knows the steps).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from agent.domain import ActionTaken, Lesson, PastAction, Precedent
from agent.text import normalise

MIN_WORD = 4
MAX_WENT_WRONG = 4
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+")
FAILURE = ("tried to", "failed", "without ", "despite", "unable", "too late", "tente", "sans ")
FORBIDS = (
    "should not",
    "must not",
    "do not",
    "don't",
    "never",
    "not be",
    "ne pas",
    "ne doit",
    "jamais",
)
TOLL = ("killed", "died", "dead", "deaths", "missing", "fatal", "morts", "tues", "deces")
NARRATIVE = frozenset(
    [
        "was",
        "were",
        "had",
        "began",
        "been",
        "did",
        "got",
        "sent",
        "took",
        "went",
        "fled",
        "made",
        "ont",
        "ete",
        "etait",
    ]
)
RESPONDERS = frozenset(["fire", "firefighter", "pompier", "responder", "crew", "rescuer", "police"])
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "mitigate": ("fight", "attack", "spray", "water", "extinguish", "cool", "combat", "eteindre"),
    "evacuate": ("evacuate", "flee", "evacuer"),
    "shelter": ("shelter", "stay", "confine", "confiner"),
    "recover": ("restart", "reopen", "return", "redemarrer"),
    "contain": ("plug", "seal", "contain", "colmater"),
    "communicate": ("announce", "publish", "reassure", "communiquer"),
}
STOPWORDS = frozenset(
    [
        "with",
        "from",
        "that",
        "this",
        "they",
        "them",
        "their",
        "into",
        "over",
        "under",
        "after",
        "before",
        "about",
        "which",
        "while",
        "when",
        "where",
        "were",
        "have",
        "been",
        "more",
        "most",
        "than",
        "some",
        "other",
        "only",
        "also",
        "then",
        "there",
        "these",
        "those",
        "area",
        "site",
        "people",
        "dans",
        "avec",
        "pour",
        "sont",
        "leur",
    ]
)


def content_words(text: str) -> set[str]:
    """The words that carry meaning: long enough, not glue words."""
    words = _WORD.findall(normalise(text))
    return {w for w in words if len(w) >= MIN_WORD and w not in STOPWORDS}


def _shares(a: AbstractSet[str], b: AbstractSet[str]) -> str | None:
    """A word of ``a`` that is, or is the start of, a word of ``b`` (fire ~ firefighters)."""
    for x in sorted(a):
        if any(y.startswith(x) or x.startswith(y) for y in b):
            return x
    return None


def _sentences(texts: Iterable[str]) -> list[str]:
    return [s for t in texts for s in _SENTENCE.split(t.strip()) if s]


def condemned(action: ActionTaken, precedent: Precedent) -> str | None:
    """Why the incident condemns this action, or ``None`` if it does not."""
    text = normalise(action.text)
    failure = next((m for m in FAILURE if m in text), None)
    if failure:
        return f"the action itself reports a failure ('{failure.strip()}')"
    return _forbidden_by_lesson(action, precedent) or _in_the_toll(action, precedent)


def _forbidden_by_lesson(action: ActionTaken, precedent: Precedent) -> str | None:
    """A lesson's "do not ..." clause names this kind of action and what it was done to."""
    verbs = TYPE_WORDS.get(action.action_type or "", ())
    words = content_words(action.text)
    for item in precedent.lessons:
        for clause in re.split(r"[;:]", normalise(item)):
            if not any(m in clause for m in FORBIDS):
                continue
            said = content_words(clause)
            if any(_shares({v}, said) for v in verbs) and _shares(words, said - set(verbs)):
                return f"a lesson forbids it: {item[:160]}"
    return None


def _in_the_toll(action: ActionTaken, precedent: Precedent) -> str | None:
    """The responders who did it are among the dead: the outcome condemns the tactic."""
    if action.action_type not in ("mitigate", "contain", "rescue"):
        return None
    mine = _shares(RESPONDERS, content_words(action.text))
    if mine is None:
        return None
    for sentence in _sentences([precedent.outcome]):
        low = normalise(sentence)
        if any(m in low for m in TOLL) and _shares(RESPONDERS, content_words(sentence)):
            return f"responders died doing it: {sentence[:160]}"
    return None


def is_narrative(text: str) -> bool:
    """Past tense or description: what happened, not an instruction."""
    words = _WORD.findall(normalise(text))
    if not words or words[0].endswith("ed"):
        return True
    return any(w in NARRATIVE for w in words)


def is_vetted(action: ActionTaken, verbs: dict[str, set[str]]) -> bool:
    """An imperative whose verb opens an SOP step of the same action type."""
    if action.action_type is None or is_narrative(action.text):
        return False
    words = _WORD.findall(normalise(action.text))
    return bool(words) and words[0] in verbs.get(action.action_type, set())


def sop_verbs(actions: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """First word of every SOP step action, by action type: the verbs the SOPs know."""
    verbs: dict[str, set[str]] = {}
    for text, action_type in actions:
        words = _WORD.findall(normalise(text))
        if words:
            verbs.setdefault(action_type, set()).add(words[0])
    return verbs


def judge(
    action: ActionTaken, precedent: Precedent, verbs: dict[str, set[str]], step: str | None
) -> PastAction:
    """One past action's verdict: condemned first, then mapped, vetted or narrative."""
    base = {"text": action.text, "action_type": action.action_type, "at": action.at}
    reason = condemned(action, precedent)
    if reason:
        return PastAction(**base, verdict="condemned", why=reason)
    if step:
        return PastAction(**base, verdict="mapped", step=step, why=f"maps to SOP step {step}")
    if is_vetted(action, verbs):
        return PastAction(**base, verdict="vetted", why="imperative, a verb the SOPs use")
    return PastAction(**base, verdict="narrative", why="what happened, not an instruction")


def lesson(precedent: Precedent, done: Sequence[PastAction]) -> Lesson:
    """The precedent as a lesson: its actions judged, its outcome, what went wrong."""
    return Lesson(
        precedent_id=precedent.id,
        title=precedent.title,
        done=list(done),
        outcome=precedent.outcome,
        went_wrong=precedent.lessons[:MAX_WENT_WRONG],
    )


__all__ = [
    "condemned",
    "content_words",
    "is_narrative",
    "is_vetted",
    "judge",
    "lesson",
    "sop_verbs",
]
