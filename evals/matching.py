"""Match the actions really taken (or forbidden) against the steps a replay suggested.

A taken action is *covered* when some suggested step has the same action type
(when the taken action has one) and a text similarity of at least
:data:`MATCH_THRESHOLD`. Similarity is rapidfuzz's ``token_set_ratio`` on the
shared normalised, stemmed, stop-word-free tokens of :mod:`agent.text`, so
"Rolled back the deployment" and "Roll back the last deployment or configuration
change" match, while two sentences sharing only "the" do not. Every best pair is
kept (matched or not) so a person can audit the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from agent.domain import ScenarioStep
from agent.pack.models import ActionType
from agent.text import tokens

MATCH_THRESHOLD = 60.0
"""Minimum similarity (0-100) for a suggested step to cover a taken action."""
FORBIDDEN_THRESHOLD = 70.0
"""Minimum similarity (0-100) for a suggested step to count as a forbidden action."""


@dataclass(frozen=True)
class Candidate:
    """One suggested step, flattened: its text and type."""

    action: str
    action_type: ActionType
    origin: str = ""


@dataclass(frozen=True)
class Match:
    """The best suggested step for one taken action, and whether it is close enough."""

    taken: str
    taken_type: ActionType | None
    suggested: str | None
    suggested_type: ActionType | None
    score: float
    matched: bool


@lru_cache(maxsize=65_536)
def _norm(text: str) -> str:
    """Stemmed, stop-word-free tokens, sorted and deduplicated, as one string."""
    return " ".join(sorted(set(tokens(text))))


def similarity(a: str, b: str) -> float:
    """Token-set similarity (0-100) of two texts after normalisation; 0 if either is empty."""
    left, right = _norm(a), _norm(b)
    if not left or not right:
        return 0.0
    return round(float(fuzz.token_set_ratio(left, right)), 1)


def candidates_of(steps: Sequence[ScenarioStep]) -> list[Candidate]:
    """Unique (action, type) pairs of the suggested steps, in first-seen order."""
    seen: dict[tuple[str, ActionType], Candidate] = {}
    for step in steps:
        key = (step.action, step.action_type)
        seen.setdefault(key, Candidate(step.action, step.action_type, step.source))
    return list(seen.values())


def best_match(
    text: str,
    action_type: ActionType | None,
    candidates: Sequence[Candidate],
    threshold: float = MATCH_THRESHOLD,
) -> Match:
    """The most similar candidate of the same type (any type when ``action_type`` is None)."""
    best: tuple[float, Candidate] | None = None
    for cand in candidates:
        if action_type is not None and cand.action_type != action_type:
            continue
        score = similarity(text, cand.action)
        if best is None or score > best[0]:
            best = (score, cand)
    if best is None:
        return Match(text, action_type, None, None, 0.0, False)
    score, cand = best
    return Match(text, action_type, cand.action, cand.action_type, score, score >= threshold)
