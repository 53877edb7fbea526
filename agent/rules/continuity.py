"""Recovery time objective and an outage that outlasts it (EN and FR).

"The order system has been down for ten hours; its RTO is eight hours", "hors ligne
depuis 6 heures, alors que le PCA prévoit un RTO de 4 heures": the report states both
the objective and how long the activity has been down. Compared, they settle the
continuity dimension (ISO 22301) at "outage beyond RTO" without anyone doing the sum.
A report may also just say the objective is passed ("a 24 h recovery objective, so we
are now past it", "nous l'avons dépassé"). An outage whose duration is not stated next
to the objective, nor said to be over it, stays unread: the
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
_OBJECTIVE_WORDS = (
    r"(?:rto|recovery (?:time )?objective|objectif (?:de (?:temps|delai) )?de reprise|dmia)"
)
OBJECTIVE = (
    r"\b(?:rto|recovery (?:time )?objective|objectif (?:de (?:temps|delai) )?de reprise|dmia|"
    r"duree maximale d.interruption(?: admissible)?|mtpd|maximum tolerable (?:period of )?"
    r"(?:disruption|downtime))\b[^.;()]{0,30}?\b" + _AMOUNT
)
"""The objective and its amount: "an RTO of 4 hours", "RTO for check-in is 2 hours"."""
AMOUNT_FIRST = _AMOUNT + r"\s+" + _OBJECTIVE_WORDS + r"\b"
"""The amount before: "a 24 h recovery objective"."""
PASSED = re.compile(
    r"\b(?:past (?:it|that)|over (?:it|that)|beyond (?:it|that)|"
    r"(?:has|have|was|is) (?:been )?(?:breached|exceeded|missed|blown)|"
    r"l.avons (?:deja )?depasse|(?:est|a ete) (?:deja )?depasse\w*)\b"
)
"""The text says the objective it just stated is passed: "so we are now past it"."""
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
def _regexes(words: frozenset[str]) -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """The objective patterns (amount after, then before) and the duration pattern.

    Each holds the number words of the text being read.
    """
    objectives = (re.compile(fill(OBJECTIVE, words)), re.compile(fill(AMOUNT_FIRST, words)))
    return objectives, re.compile(fill(LASTED, words))


def _objective(norm: str, patterns: tuple[re.Pattern[str], ...]) -> re.Match[str] | None:
    """The first objective stated and not denied, whichever side its amount is on."""
    found = (m for p in patterns for m in p.finditer(norm) if not negated(norm, m.start()))
    return min(found, key=lambda m: m.start(), default=None)


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
    objective_res, lasted_re = _regexes(words_for(norm))
    objective = _objective(norm, objective_res)
    if objective is not None and (rto := _hours(objective[1], objective[2])) is not None:
        found["power.rto_hours"] = int(rto) if rto.is_integer() else rto
        spans["power.rto_hours"] = objective.span()
        outage = _outage(norm, lasted_re, objective.span())
        if outage is not None and outage[0] > rto:
            found["continuity.status"] = "outage_over_rto"
            start, end = sorted((outage[1], objective.start(), objective.end()))[::2]
            spans["continuity.status"] = (start, end)
        elif (passed := _passed(norm, objective.end())) is not None:
            found["continuity.status"] = "outage_over_rto"
            spans["continuity.status"] = (objective.start(), passed)
    beyond = BEYOND.search(norm)
    if "continuity.status" not in found and beyond is not None:
        found["continuity.status"] = "outage_over_rto"
        spans["continuity.status"] = beyond.span()
    return found


def _passed(norm: str, after: int) -> int | None:
    """Where the text says the objective it just stated is passed; None if it does not.

    Looked for in the same or the next sentence ("... objective, so we are now past it").
    """
    ends = [b for _, b in sentence_spans(norm, ".!?\n") if b > after]
    limit = ends[1] if len(ends) > 1 else len(norm)
    match = PASSED.search(norm, after, limit)
    return None if match is None or negated(norm, match.start()) else match.end()
