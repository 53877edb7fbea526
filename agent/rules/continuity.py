"""Recovery time objective and an outage that outlasts it (EN and FR).

"The order system has been down for ten hours; its RTO is eight hours", "hors ligne
depuis 6 heures, alors que le PCA prévoit un RTO de 4 heures": the report states both
the objective and how long the activity has been down. Compared, they settle the
continuity dimension (ISO 22301) at "outage beyond RTO" without anyone doing the sum.
An outage whose duration is not stated next to the objective stays unread: the
qualitative cues (:mod:`~agent.rules.severity_cues`) may still read "degraded".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.rules.count_words import NUM_BODY, fill, parse_number, words_for
from agent.rules.negation import negated
from agent.rules.sentences import Span, sentence_spans

_HOURS = r"(?:h|hrs?|hours?|heures?)\b"
_DAYS = r"(?:days?|jours?)\b"
_AMOUNT = r"(" + NUM_BODY + r")\s?(" + _HOURS[:-2] + "|" + _DAYS[:-2] + r")\b"
OBJECTIVE = (
    r"\b(?:rto|recovery time objective|objectif de (?:temps|delai) de reprise|dmia|"
    r"duree maximale d.interruption(?: admissible)?|mtpd|maximum tolerable (?:period of )?"
    r"(?:disruption|downtime))\b[^.;()]{0,30}?\b" + _AMOUNT
)
"""The objective and its amount: "an RTO of 4 hours", "RTO for check-in is 2 hours"."""
DOWN = (
    r"\b(?:down|offline|off-line|unavailable|unreachable|out of service|stopped|stuck|"
    r"encrypted|queuing|queueing|hors ligne|hors service|indisponibles?|a l.arret|arretee?s?|"
    r"en panne|chiffree?s?|bloquee?s?|paralysee?s?)\b"
)
LASTED = (
    r"\b(?:for|since|depuis|soit|now)\s+(?:about |over |more than |environ |plus de )?" + _AMOUNT
)
BEYOND = re.compile(
    r"\b(?:beyond|past|over|exceed\w*|au-dela d\w*|au dela d\w*|depasse\w*)\s+(?:the |our |its |"
    r"la |le |l.|notre |son )?(?:rto|recovery time objective|duree maximale d.interruption|dmia)\b"
)


@lru_cache(maxsize=64)
def _regexes(words: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The objective and the duration patterns, with the number words of the text."""
    return re.compile(fill(OBJECTIVE, words)), re.compile(fill(LASTED, words))


def _hours(count: str, unit: str) -> float | None:
    value = parse_number(count)
    if value is None:
        return None
    return float(value * 24 if unit.startswith(("day", "jour")) else value)


def _outage(norm: str, lasted: re.Pattern[str], objective: Span) -> tuple[float, int] | None:
    """The longest stated outage (hours, where) in the objective's sentence or the one before."""
    sentences = sentence_spans(norm, ".!?\n")
    index = next((i for i, (a, b) in enumerate(sentences) if a <= objective[0] < b), 0)
    best: tuple[float, int] | None = None
    for a, b in sentences[max(0, index - 1) : index + 1]:
        down = re.search(DOWN, norm[a:b])
        if down is None:
            continue
        for m in lasted.finditer(norm, a, b):
            hours = _hours(m[1], m[2])
            inside = objective[0] <= m.start() < objective[1]
            if hours is not None and not inside and (best is None or hours > best[0]):
                best = (hours, min(a + down.start(), m.start()))
    return best


def read_continuity(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """The stated objective (``power.rto_hours``) and whether the outage outlasts it.

    ``continuity.status`` is "outage_over_rto" when the outage stated beside the objective
    is longer ("down ten hours; RTO eight hours") or the text says it is beyond the RTO.
    """
    found: dict[str, Any] = {}
    objective_re, lasted_re = _regexes(words_for(norm))
    objective = next((m for m in objective_re.finditer(norm) if not negated(norm, m.start())), None)
    if objective is not None and (rto := _hours(objective[1], objective[2])) is not None:
        found["power.rto_hours"] = int(rto) if rto.is_integer() else rto
        spans["power.rto_hours"] = objective.span()
        outage = _outage(norm, lasted_re, objective.span())
        if outage is not None and outage[0] > rto:
            found["continuity.status"] = "outage_over_rto"
            start, end = sorted((outage[1], objective.start(), objective.end()))[::2]
            spans["continuity.status"] = (start, end)
    beyond = BEYOND.search(norm)
    if "continuity.status" not in found and beyond is not None:
        found["continuity.status"] = "outage_over_rto"
        spans["continuity.status"] = beyond.span()
    return found
