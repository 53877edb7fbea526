"""Deterministic extraction of facts stated in an event's free text (EN and FR).

Operators type "2 blessés, 150 salariés évacués" long before anyone fills a form.
These readers turn such statements into facts so severity does not wait for the
form; explicit structured facts always win over what is read from text. Each reader
is a module of its own: counts (:mod:`~agent.rules.counts`, with number words,
negation and who a count applies to; :mod:`~agent.rules.not_counts` keeps clock times
and the French verb "a" out), evacuations, durations, substances, transport mode,
plume direction and off-site effects, detectors, cyber scope, measured hazards and
qualitative cues; this one folds the text once, runs them and quotes the words
behind each fact.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from agent.rules.continuity import read_continuity
from agent.rules.count_words import NUMBER_WORDS, parse_number
from agent.rules.counts import read_counts
from agent.rules.cyber_scope import read_cyber_scope
from agent.rules.detectors import read_detectors
from agent.rules.durations import read_durations
from agent.rules.evacuations import read_evacuations
from agent.rules.measures import read_measures
from agent.rules.offsite import read_offsite
from agent.rules.person_hours import read_person_hours
from agent.rules.plume import read_plume
from agent.rules.severity_cues import Cue, cues, read_cues
from agent.rules.subjects import public_casualties
from agent.rules.substances import SUBSTANCE_UN, extract_un_number, read_substance
from agent.rules.transport import read_transport
from agent.text import normalise

__all__ = [
    "NUMBER_WORDS",
    "SUBSTANCE_UN",
    "Cue",
    "Span",
    "cues",
    "extract_facts",
    "extract_spans",
    "extract_un_number",
    "parse_number",
    "read_cues",
    "read_durations",
    "read_text",
]

Span = tuple[int, int]
"""Start and end of the words a fact was read from, in the folded text."""

SITUATION_READERS: tuple[Callable[[str, dict[str, Span]], dict[str, Any]], ...] = (
    read_durations,
    read_transport,
    read_plume,
    read_detectors,
    read_cyber_scope,
    read_measures,
    read_continuity,
)
"""Readers of one kind of situation fact each; off-site effects come after the plume."""


def extract_facts(text: str) -> dict[str, Any]:
    """Facts stated in the text, as a flat mapping of dotted fact paths."""
    return read_text(text)[0]


def extract_spans(text: str) -> dict[str, str]:
    """For each fact read from the text, the words it was read from ("at least two dead")."""
    return read_text(text)[1]


def read_text(text: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Facts and, for each, the stretch of the original text it came from (fresh dicts)."""
    facts, spans = _read_text(text)
    return dict(facts), dict(spans)


def _public_hospitalised(norm: str, found: dict[str, Any], spans: dict[str, Span]) -> None:
    """People "taken to hospital" after a train crash are the public, not site staff."""
    onsite = "casualties.hospitalised_onsite"
    offsite = "casualties.hospitalised_offsite"
    if onsite in found and offsite not in found and public_casualties(norm):
        found[offsite] = found.pop(onsite)
        spans[offsite] = spans.pop(onsite)


@lru_cache(maxsize=1024)
def _read_text(text: str) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, str], ...]]:
    """One reading per text: intake, severity and the briefing ask for the same text."""
    norm = normalise(text)
    spans: dict[str, Span] = {}
    found = read_counts(norm, spans)
    found |= read_evacuations(norm, spans, found)
    found |= read_substance(norm, spans)
    if found.get("casualties.hospitalised_offsite") == found.get("casualties.hospitalised_onsite"):
        found.pop("casualties.hospitalised_onsite", None)  # the same people, members of the public
    _public_hospitalised(norm, found, spans)
    for reader in SITUATION_READERS:
        found |= reader(norm, spans)
    found |= read_offsite(norm, spans, found)
    found |= read_person_hours(norm, spans, found)
    found |= read_cues(norm, found, spans)
    # Folding keeps one character per character for the scripts we read; else show folded words.
    source = text if len(text) == len(norm) else norm
    quoted = {path: source[a:b].strip() for path, (a, b) in spans.items() if path in found}
    return tuple(found.items()), tuple(quoted.items())
