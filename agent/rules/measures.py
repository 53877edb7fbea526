"""Measured natural hazards: earthquake magnitude and wind gusts (EN and FR).

"magnitude 6.1 earthquake", "séisme de magnitude 4,9", "gusts up to 130 km/h",
"rafales à 110 km/h", "mistral à 70 km/h": the figure a severity dimension or a SOP
threshold reads. A speed counts as a gust only beside a wind word.
"""

from __future__ import annotations

import re
from typing import Any

from agent.rules.count_words import parse_number

Span = tuple[int, int]

MAGNITUDE = re.compile(
    r"\b(?:magnitude|mw|ml|richter|mag\.?)\s*(?:de\s+|of\s+)?(\d(?:[.,]\d)?)\b"
    r"|\b(\d(?:[.,]\d)?)\s*(?:magnitude|on the richter scale|sur l.echelle de richter)\b"
    r"|\bm(\d[.,]\d)\b"
)
GUST = re.compile(
    r"\b(?:gusts?|gusting|rafales?|winds?|vents?|mistral|tramontane|bise|storm|tempete)\b"
    r"[^.;]{0,30}?\b(\d{2,3})\s*(?:km/h|kmh|km h|kph|plus\b)"
)


TEMPERATURE = re.compile(
    r"(?<![\w.,])(-|minus |moins )?(\d{1,2}(?:[.,]\d)?)\s?"
    r"(?:°\s?c?|c\b|degrees?\b(?! of)|degres?\b)"
    r"|(?<![\w.,])(-)(\d{1,2})\s+(?:this morning|in the yard|outside|dehors|ce matin|cette nuit)\b"
)
INDOORS = re.compile(
    r"\b(?:allee|salle|room|hall|chambres?|inside|indoors|atelier|workshop|servers?|serveurs?|"
    r"bottling|listing|heel|gite|four|furnace|oven|reactor|reacteur|cuve|tank|bain|bath|"
    r"fever|fievre|process|cab|cabine)\b"
)
"""A temperature near these words is not the weather: labels keep those out of the fact."""
OUTDOORS = re.compile(
    r"\s*(?:c\b\s*)?(?:outside|outdoors|dehors|in the shade|a l.ombre|forecast|prevus?)\b"
)
"""Words right after a temperature that make it the weather, whatever is nearby."""


def _temperature(norm: str) -> tuple[float, Span] | None:
    """The first outdoor temperature stated ("41°C in the shade", "-12 °C relevés sur le parc")."""
    for m in TEMPERATURE.finditer(norm):
        near = norm[max(0, m.start() - 30) : m.end() + 25]
        if INDOORS.search(near) and not OUTDOORS.match(norm, m.end()):
            continue
        sign = -1 if (m[1] or m[3]) else 1
        return sign * _decimal(m[2] or m[4]), m.span()
    return None


AUTONOMY = re.compile(
    r"\bautonomie\s+(?:\w+\s+){0,3}?(?:a\s+|de\s+)?(?:environ\s+)?(\d{1,3})\s*(?:h|heures)\b"
    r"|\b(\d{1,3})\s*(?:h|hours?|heures)\s+(?:of\s+)?(?:fuel|gasoil|fioul|autonomy|d.autonomie)\b"
    r"|\b(?:fuel|gasoil|fioul|autonomy|diesel)\b[^.;]{0,40}\bfor\s+(?:about\s+)?(\d{1,3})\s*(?:h|hours)\b"
    r"|\b(?:fuel|gasoil|fioul|cuve|tank)\b[^.;]{0,40}\b(?:pour|tenir)\s+(?:environ\s+)?(\d{1,3})\s*(?:h|heures)\b"
)
ABSENT = re.compile(
    r"\b(\d{1,3}|[a-z]+(?:-[a-z]+)*)\s?(?:%|pour ?cent|per ?cent|percent)\s+"
    r"(?:des?|of(?: the| our)?)?"
    r"\s*(?:\w+\s+){0,3}?(?:operateurs|salaries|staff|employees|agents|workers|effectifs?|"
    r"l.effectif|equipes?|team|workforce|personnel|drivers|conducteurs)\b"
    r"[^.;]{0,60}\b(?:absent\w*|off sick|malades?|arret\w*|n.ont pas pu venir|cannot come|"
    r"couldn.t come|isolement|self-isolating|confinee?s?|off\b|sick)"
    r"|\b(?:absent\w*|absence\w*|absenteeism|absenteisme|off sick|malades?)\b[^.;]{0,50}?"
    r"\b(\d{1,3})\s?%"
)
_SHARES = re.compile(
    r"\b(half|la moitie|a third|un tiers|a quarter|un quart|plus d.un quart|over a quarter)\b"
    r"[^.;]{0,40}\b(?:off sick|absent\w*|malades?|en arret|n.ont pas pu venir)"
    r"|\b(?:absents?|absentes|off sick|malades)\b[^.;]{0,60}?,?\s*\b(half|la moitie|a third|"
    r"un tiers|a quarter|un quart|plus d.un quart|over a quarter)\b"
)
_SHARE_PCT = {"half": 50, "la moitie": 50, "a third": 33, "un tiers": 33}


def _first_number(pattern: re.Pattern[str], norm: str) -> tuple[int, Span] | None:
    """The first match whose number reads ("27", "trente"), and where it is."""
    for m in pattern.finditer(norm):
        value = parse_number(next(g for g in m.groups() if g))
        if value is not None:
            return value, m.span()
    return None


def _absent(norm: str) -> tuple[int, Span] | None:
    """The share of staff absent, in figures ("27 % des opérateurs") or words ("half")."""
    stated = _first_number(ABSENT, norm)
    if stated is not None:
        return stated
    m = _SHARES.search(norm)
    return None if m is None else (_SHARE_PCT.get(m[1] or m[2], 25), m.span())


def _decimal(token: str) -> float:
    return float(token.replace(",", "."))


def read_measures(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """Magnitude (the first stated), outdoor temperature (the first) and gusts (the strongest)."""
    found: dict[str, Any] = {}
    magnitude = MAGNITUDE.search(norm)
    if magnitude is not None:
        found["earthquake.magnitude"] = _decimal(next(g for g in magnitude.groups() if g))
        spans["earthquake.magnitude"] = magnitude.span()
    temperature = _temperature(norm)
    if temperature is not None:
        found["temperature.max_c"], spans["temperature.max_c"] = temperature
    for path, reading in (
        ("power.autonomy_hours", _first_number(AUTONOMY, norm)),
        ("staff.absent_pct", _absent(norm)),
    ):
        if reading is not None:
            found[path], spans[path] = reading
    gusts = [(int(m[1]), m.span()) for m in GUST.finditer(norm)]
    if gusts:
        found["wind.gust_kmh"], spans["wind.gust_kmh"] = max(gusts)
    return found
