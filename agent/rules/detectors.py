"""Which detectors are in alarm: ammonia, chlorine, H2S, flammable gas, fire (EN and FR).

"NH3 detector in alarm", "l'alarme chlore s'est déclenchée", "the H2S monitor on my
belt is screaming", "fire alarm zone 7 triggered": a detector in alarm is a measured
fact and settles SOP conditions ("if the NH3 detectors are in alarm"). A denied alarm
("no gas alarm") is not read.
"""

from __future__ import annotations

import re
from typing import Any

Span = tuple[int, int]

KINDS: dict[str, str] = {
    "detectors.nh3_alarm": r"nh3|ammonia|ammoniac",
    "detectors.cl2_alarm": r"cl2|chlorine|chlore",
    "detectors.h2s_alarm": r"h2s|hydrogen sulphide|hydrogen sulfide|hydrogene sulfure|sulfure",
    "detectors.gas_alarm": r"gas|gaz|lel|lie|explosimetre|explosimeter|hydrogen|hydrogene|"
    r"methane|flammable|combustible|catalytic|explosimetre|explosimeter",
    "detectors.fire_alarm": r"fire|incendie|smoke|fumee|sprinkler(?: flow)?|flame|flamme|"
    r"heat|thermique|ssi",
}
_DEVICE = (
    r"(?:detectors?|detecteurs?|monitors?|sensors?|capteurs?|heads?|balises?|analy[sz]ers?|"
    r"analyseurs?|meters?|detection|alarms?|alarmes?)"
)
_ALARM = (
    r"(?:in alarm|alarming|alarmed|went off|gone off|going off|triggered|tripped|sounding|"
    r"sounded|screaming|beeping|activated|came up|en alarme|passee?s? en alarme|declenche\w*|"
    r"sonne\w*|retenti\w*|bipe\w*|a sonne|alarm|alarme|seuil)"
)
_NOT_ALARM = (
    r"\s+(?:panel|system|fault|test|drill|reset|maintenance|isolated|out of service|centrale|"
    r"en panne|en defaut|hors service|exercice)"
)
"""After "fire alarm": the equipment or a fault, not an alarm going off."""
_NEGATED = re.compile(r"(?:\b(?:no|not|nor|aucune?|sans|without)\s+|\bpas d.\s*)(?:\w+\s+){0,2}$")


def _patterns(kind: str) -> tuple[re.Pattern[str], ...]:
    return (
        re.compile(rf"\b(?:{kind})\s+(?:[\w-]+\s+)?{_DEVICE}\b[^.;]{{0,60}}?\b{_ALARM}\b"),
        re.compile(
            rf"\b{_DEVICE}\s+(?:de\s+|d.|du\s+)?(?:[\w-]+\s+)?\(?(?:{kind})\)?"
            rf"[^.;]{{0,50}}?\b{_ALARM}\b"
        ),
        re.compile(rf"\b(?:{kind})\s+(?:en alarme|in alarm|alarming|went off|triggered|tripped)\b"),
        re.compile(rf"(?:\b(?:{kind})\s+alarms?\b|\balarmes?\s+(?:{kind})\b)(?!{_NOT_ALARM})"),
    )


PATTERNS = {path: _patterns(kind) for path, kind in KINDS.items()}


def read_detectors(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """Each detector kind said to be in alarm, with the words that say so."""
    found: dict[str, Any] = {}
    for path, patterns in PATTERNS.items():
        for m in (m for p in patterns for m in p.finditer(norm)):
            if _NEGATED.search(norm, max(0, m.start() - 20), m.start()) is None:
                found[path], spans[path] = True, m.span()
                break
    return found
