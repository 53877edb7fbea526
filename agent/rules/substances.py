"""The substance of a hazmat event as its UN number and ERG guide.

The UN number is written as such or the substance is named (ERG index); the guide
(which response and isolation distances apply) follows from the UN number. SOPs
select on the guide ("toxic by inhalation" guides), so a named substance must reach it.
"""

from __future__ import annotations

import re
from typing import Any

UN_PATTERN = re.compile(r"\b(?:un|onu|n°\s*onu|un\s*no\.?)\s*[-:]?\s*(\d{4})\b")
PLATE_PATTERN = re.compile(
    r"\b(?:plate|plaque|panneau|panel|orange|kemler|adr|hazard (?:id|identification)|code danger)"
    r"\b[^.;]{0,30}?\b(?:x?[2-9]\d{1,2})\s*(?:over|sur|above|/|-)\s*(\d{4})\b"
)
"""An orange ADR plate read aloud: hazard code over UN number ("268 over 1017", "33/1203")."""

# Common substances an operator names instead of a UN number (ERG index).
SUBSTANCE_UN = {
    "ammonia": "1005",
    "ammoniac": "1005",
    "nh3": "1005",
    "chlorine": "1017",
    "chlore": "1017",
    "gasoline": "1203",
    "petrol": "1203",
    "essence": "1203",
    "diesel": "1202",
    "gazole": "1202",
    "gasoil": "1202",
    "propane": "1978",
    "lpg": "1075",
    "gpl": "1075",
    "hydrogen sulphide": "1053",
    "hydrogen sulfide": "1053",
    "h2s": "1053",
    "sulphuric acid": "1830",
    "sulfuric acid": "1830",
    "acide sulfurique": "1830",
    "hydrochloric acid": "1789",
    "acide chlorhydrique": "1789",
    "crude oil": "1267",
    "petrole brut": "1267",
    "vinyl chloride": "1086",
    "chlorure de vinyle": "1086",
    "jet fuel": "1863",
    "kerosene": "1223",
    "methanol": "1230",
    "methane": "1971",
    "natural gas": "1971",
    "gaz naturel": "1971",
    "sulphur dioxide": "1079",
    "sulfur dioxide": "1079",
    "dioxyde de soufre": "1079",
    "so2": "1079",
    "hydrogen peroxide": "2014",
    "peroxyde d'hydrogene": "2014",
    "eau oxygenee": "2014",
    "hydrogen cyanide": "1051",
    "hydrogen fluoride": "1052",
    "hydrogen chloride": "1050",
    "chlorure d'hydrogene": "1050",
    "hydrofluoric acid": "1790",
    "acide fluorhydrique": "1790",
    "hydrogen": "1049",
    "hydrogene": "1049",
    "toluene": "1294",
    "benzene": "1114",
    "acetone": "1090",
    "acetylene": "1001",
    "phosgene": "1076",
    "bromine": "1744",
    "brome": "1744",
    "carbon monoxide": "1016",
    "monoxyde de carbone": "1016",
    "caustic soda": "1824",
    "soude caustique": "1824",
    "sodium hydroxide": "1824",
    "hydroxyde de sodium": "1824",
    "ammonium nitrate": "1942",
    "nitrate d'ammonium": "1942",
    "liquid nitrogen": "1977",
    "azote liquide": "1977",
    "nitric acid": "2031",
    "acide nitrique": "2031",
    "lithium-ion batteries": "3480",
    "lithium-ion battery": "3480",
    "batteries lithium-ion": "3480",
    "batteries au lithium": "3480",
    "heating oil": "1202",
    "fioul domestique": "1202",
    "lng": "1972",
    "gnl": "1972",
}
# ERG guide of each UN number above (guides with a polymerisation suffix, e.g. 116P, left out).
ERG_GUIDE = {
    "1001": 116,
    "1005": 125,
    "1016": 119,
    "1017": 124,
    "1049": 115,
    "1050": 125,
    "1051": 117,
    "1052": 125,
    "1053": 117,
    "1075": 115,
    "1076": 125,
    "1079": 125,
    "1090": 127,
    "1114": 130,
    "1202": 128,
    "1203": 128,
    "1223": 128,
    "1230": 131,
    "1267": 128,
    "1294": 130,
    "1744": 154,
    "1789": 157,
    "1790": 157,
    "1824": 154,
    "1830": 137,
    "1863": 128,
    "1942": 140,
    "1971": 115,
    "1972": 115,
    "1977": 120,
    "1978": 115,
    "2014": 140,
    "2031": 157,
    "3480": 147,
}


def extract_un_number(norm: str) -> str | None:
    """A UN number written as such, else the UN number of a named substance."""
    found = find_un_number(norm)
    return None if found is None else found[0]


def find_un_number(norm: str) -> tuple[str, tuple[int, int]] | None:
    """The UN number and the words it was read from ("UN 1005", "ammoniac")."""
    match = UN_PATTERN.search(norm) or PLATE_PATTERN.search(norm)
    if match:
        return match[1], match.span()
    for name, un in SUBSTANCE_UN.items():
        named = re.search(rf"\b{re.escape(name)}\b", norm)
        if named:
            return un, named.span()
    return None


def read_substance(norm: str, spans: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """``substance.un`` and, when the table knows it, ``substance.erg_guide``."""
    found = find_un_number(norm)
    if found is None:
        return {}
    un, span = found
    facts: dict[str, Any] = {"substance.un": un}
    spans["substance.un"] = span
    if un in ERG_GUIDE:
        facts["substance.erg_guide"] = ERG_GUIDE[un]
        spans["substance.erg_guide"] = span
    return facts
