"""Replay one case through the real graph, step by step through its timed updates.

For now each update is replayed as a fresh suggestion on the accumulated text and
the merged facts (a "crisis thread" API may replace this later). The case's own
incident is always passed in ``exclude_incidents`` (leave-one-out), so a case can
never find itself as a precedent or vote for its own category. Hindsight updates
(:attr:`evals.case.Update.hindsight`) are replayed last and their steps marked, so
the live metrics can stop before them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from agent.domain import MAX_EVENT_CHARS, Event, Suggestion
from agent.errors import CrisisCellError
from evals.case import DEFAULT_T0, EvalCase


class SuggesterLike(Protocol):
    """What the replay needs of :class:`agent.service.Suggester`."""

    def suggest(
        self, event: Event, guidance: str | None = None, exclude_incidents: Any = ()
    ) -> Suggestion:
        """One suggestion for one event."""
        ...


@dataclass(frozen=True)
class ReplayStep:
    """One suggestion of a replay: when, what came out, how long it took."""

    at: timedelta
    event: Event
    suggestion: Suggestion | None
    latency_ms: float
    error: str | None = None
    hindsight: bool = False


def merge_facts(base: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``new`` into a copy of ``base``; later values win."""
    out = dict(base)
    for key, value in new.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_facts(out[key], value)
        else:
            out[key] = value
    return out


def events_of(case: EvalCase) -> Iterator[tuple[timedelta, Event]]:
    """The event known at T0, then the accumulated event after each update."""
    inputs = case.inputs
    t0 = inputs.reported_at or DEFAULT_T0
    text, facts = inputs.text, dict(inputs.facts)
    yield timedelta(0), _event(case, text, facts, t0)
    for update in inputs.ordered_updates():
        if update.text:
            text = f"{text}\n\n{update.text}"
        facts = merge_facts(facts, update.facts)
        yield update.at, _event(case, text, facts, t0 + update.at)


def _event(case: EvalCase, text: str, facts: dict[str, Any], at: Any) -> Event:
    """An event with the replay's text (capped at the event limit, keeping the latest)."""
    if len(text) > MAX_EVENT_CHARS:
        text = text[-MAX_EVENT_CHARS:]
    return Event(
        text=text,
        site=case.inputs.site,
        facts=facts,
        language=case.inputs.language,
        reported_at=at,
    )


def replay(case: EvalCase, suggester: SuggesterLike) -> list[ReplayStep]:
    """Every step of one case; a typed error in one step is recorded, not raised."""
    steps: list[ReplayStep] = []
    hidden = case.hidden_ids
    hindsight = [False, *(u.hindsight for u in case.inputs.ordered_updates())]
    for (at, event), late in zip(events_of(case), hindsight, strict=True):
        start = time.perf_counter()
        try:
            suggestion: Suggestion | None = suggester.suggest(event, exclude_incidents=hidden)
            error = None
        except CrisisCellError as exc:
            suggestion, error = None, f"{type(exc).__name__}: {exc}"
        latency = (time.perf_counter() - start) * 1000
        steps.append(ReplayStep(at, event, suggestion, round(latency, 3), error, late))
    return steps
