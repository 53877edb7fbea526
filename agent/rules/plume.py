"""Where the plume goes: ``plume.direction`` (a compass point) and ``plume.towards`` (a place).

"Smoke is moving north-east", "vent d'ouest" (so east), "le nuage se dirige vers Rouen".
A direction the plume is said to move wins over one deduced from the wind.
"""

from __future__ import annotations

import re
from typing import Any

from agent.rules.compass import DIRECTION, downwind, point

Span = tuple[int, int]

PLUME = (
    r"(?:smoke|fumes|cloud|plume|smell|odou?r|gas|vapou?r|fumees?|nuage|panache|odeurs?|gaz|"
    r"vapeurs?)"
)
_MOVES = (
    r"(?:moving|drifting|drifted|heading|headed|blowing|blown|going|spreading|pushed|pushing|"
    r"carried|travell?ing|rolling|coming|derive|part|partent|se dirige|se deplace|pousse|"
    r"poussee?|file|s.etend|porte|portee?|rabattue?|va|avance)"
)
_TO = r"(?:\s+(?:to(?:wards?)?|toward|vers|en direction d[ue]|in the direction of|plein|au|a)\b)?"
MOVING = re.compile(
    rf"\b(?:{PLUME}|it|il)\b[^.;]{{0,40}}?\b{_MOVES}{_TO}\s+(?:the\s+|le\s+|l.)?({DIRECTION})\b"
    rf"|\b(?:towards?|toward|vers|en direction d[ue])\s+(?:the\s+|le\s+|l.)?({DIRECTION})\b"
)
_OF_SITE = (
    r"\s+(?:of|de|du|d.)\s*(?:us|the site|the plant|the works|l.usine|du site|la raffinerie|"
    r"la plateforme|l.etablissement|site|usine)"
)
BESIDE = re.compile(rf"\b(?:au\s+|the\s+|l.)?({DIRECTION}){_OF_SITE}\b")
WIND_FROM = re.compile(
    rf"\bwinds?\b[^.;]{{0,15}}?\b(?:from|out of)\s+(?:the\s+)?({DIRECTION})\b"
    rf"|\b({DIRECTION})\s+winds?\b"
    rf"|\bvents?\s+(?:faible\s+|fort\s+|dominant\s+)?(?:de\s+secteur\s+|souffle\s+)?"
    rf"(?:de\s+|du\s+|d.)({DIRECTION})\b"
    rf"|\bvents?\s+(?:faible\s+|fort\s+)?vers\s+(?:le\s+|l.)?({DIRECTION})\b"
)
TOWARDS_PLACE = re.compile(
    rf"\b{PLUME}\b[^.;]{{0,40}}?\b(?:{_MOVES}\s+)?(?:towards?|toward|vers|heading for|"
    r"en direction d[ue]s?)\s+"
    r"((?:the |le |la |les |l.|des |du )?[a-z][\w'-]*(?: [a-z][\w'-]*){0,2})"
)
ON_SITE = re.compile(
    r"\b(?:building|bay|gate|hall|room|unit|workshop|shed|tank|line|control|muster|assembly|"
    r"batiment|atelier|salle|hangar|local|quai|poste|cuve|portail|point de rassemblement|"
    r"ground|floor|sol|ceiling|roof|toit|plafond|nous|us|place|site|reseau|network|sky|ciel)\b"
)


_PLUME_WORD = re.compile(rf"\b{PLUME}\b|\b(?:retombe|settled|fell)")


def _about_plume(norm: str, match: re.Match[str]) -> bool:
    """The sentence around the direction speaks of smoke, a cloud or a smell."""
    start = max(norm.rfind(".", 0, match.start()), norm.rfind(";", 0, match.start())) + 1
    end = min((i for i in (norm.find(c, match.end()) for c in ".;") if i >= 0), default=len(norm))
    return _PLUME_WORD.search(norm, start, end) is not None


def _direction(norm: str) -> tuple[str, Span] | None:
    """The compass point the plume goes to: moving first, beside the site, then the wind."""
    for pattern in (MOVING, BESIDE, WIND_FROM):
        for m in pattern.finditer(norm):
            index, words = next((i, g) for i, g in enumerate(m.groups()) if g)
            got = point(words)
            if got is None or (pattern is not WIND_FROM and not _about_plume(norm, m)):
                continue
            if pattern is WIND_FROM and index < 3:  # the wind comes from there
                got = downwind(got)
            return got, m.span()
    return None


def _towards(norm: str) -> tuple[str, Span] | None:
    """The place named as where the plume goes ("vers Rouen", "towards the housing estate")."""
    for m in TOWARDS_PLACE.finditer(norm):
        place = m[1].strip()
        if point(place.split()[-1]) or ON_SITE.search(place):
            continue
        return place, m.span()
    return None


def read_plume(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """``plume.direction`` and ``plume.towards`` with the words each was read from."""
    found: dict[str, Any] = {}
    for path, reading in (("plume.direction", _direction(norm)), ("plume.towards", _towards(norm))):
        if reading is not None:
            found[path], spans[path] = reading
    return found
