"""Which transport mode an accident involves: road, rail, air or maritime (EN and FR).

``transport.mode`` picks the TRN SOP and who to call (a rail operator, the coastguard).
A mode is read only when the text tells of a vehicle in trouble (a crash, a derailment,
a grounding); a factory fire that mentions "the road is closed" is not a road accident.
Vehicles weigh more than the places they run on: "the train stopped on the level
crossing" is rail even if a road is named.
"""

from __future__ import annotations

import re
from typing import Any

Span = tuple[int, int]

VEHICLES: dict[str, str] = {
    "road": r"lorry|lorries|(?<!reach )(?<!forklift )(?<!fire )trucks?|hgv|coach|bus|autocar|"
    r"camion\w*|(?<!oil )(?<!gas )tankers?(?! ship)(?! vessel)|"
    r"poids lourds?|semi[- ]remorques?|road tankers?|tanker (?:truck|lorry)|vans?|"
    r"fourgon\w*|voitures?|cars?(?! park)|scooters?|motorbike|moto",
    "rail": r"trains?|ter|tgv|rer|trams?|tramway|metro|rame|wagons?|locomotives?|"
    r"tank cars?|block train|freight train|train de \w+",
    "air": r"aircraft|aeroplane|airplane|plane|airliner|jet|helicopter|helico\w*|avion\w*|"
    r"ulm|microlight|glider|planeur|b7[0-9]7|a3[1-8]\d|ec1[2-9]\d|cessna|drone",
    "maritime": r"ships?|vessels?|boats?|barges?|peniches?|ferry|ferries|trawler|chalutier|"
    r"navire|bateau\w*|cargo ship|(?:le|un|du) cargo|container ship|porte-conteneurs|"
    r"petrolier|oil tanker|"
    r"cruise|paquebot|tug|remorqueur|yacht|voilier|feeder|roulier|ro-ro|car carrier|"
    r"porte-voitures|vraquier|bulk carrier|chimiquier|methanier",
}
PLACES: dict[str, str] = {
    "road": r"motorway|autoroute|highway|roundabout|rond-point|rocade|periph\w*|"
    r"a\d{1,3}|m\d{1,2}|d\d{2,4}|rn ?\d{1,3}|n\d{2,3}|route|road|carrefour|junction",
    "rail": r"railway|rail line|voie ferree|level crossing|passage a niveau|gare|station|"
    r"main line|track",
    "air": r"runway|piste|airport|aeroport|airfield|aerodrome|helipad",
    "maritime": r"canal|river|fleuve|estuary|estuaire|harbour|port|quay|quai|channel|manche|"
    r"ecluse|lock|mer|sea",
}
TROUBLE = re.compile(
    r"\b(?:crash\w*|collid\w*|collision|derail\w*|deraill\w*|overturn\w*|capsiz\w*|"
    r"aground|agrounded|ran onto|sank|sinking|ditched|emergency landing|jackknifed|"
    r"hit|struck|accident|percut\w*|heurt\w*|couche|renvers\w*|echou\w*|chavir\w*|"
    r"naufrage|carambolage|sortie de route|slid off|off the road|on its side|"
    r"came down|come down|comes down|coming down|went down|came off the (?:rails|tracks?)|"
    r"off the rails|left the (?:rails|tracks?)|sombr\w*|pris feu|caught fire|abime|amerri\w*|"
    r"mayday|taking on water|voie d.eau|en feu|on fire|"
    r"fire on|feu de|smoke from|fumee|grounded|listing|brise|broke|bloque|stuck|stranded|"
    r"immobilis\w*|pose durement|se poser|posee? en catastrophe|accroche|a la mer|overboard|"
    r"abandon ship|man down|emergency|en urgence|atterrissage d.urgence|forced landing|"
    r"ecrase\w*|crash-landed|rolled over|"
    r"left the road|sorti de la route|ran off the road|tonneau\w*)\b"
)


def _compile(table: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {mode: re.compile(rf"\b(?:{words})\b") for mode, words in table.items()}


_VEHICLES = _compile(VEHICLES)
_PLACES = _compile(PLACES)


def _in_trouble(norm: str, match: re.Match[str]) -> bool:
    """The vehicle's own sentence tells of trouble: "the barge has grounded"."""
    a = max(norm.rfind(c, 0, match.start()) for c in ".;!?\n") + 1
    b = min((i for i in (norm.find(c, match.end()) for c in ".;!?\n") if i >= 0), default=len(norm))
    return TROUBLE.search(norm, a, b) is not None


def read_transport(norm: str, spans: dict[str, Span]) -> dict[str, Any]:
    """The mode of the vehicle in trouble, quoted from its first mention; else nothing."""
    scores: dict[str, tuple[int, int, Span]] = {}
    for mode in VEHICLES:
        vehicles = list(_VEHICLES[mode].finditer(norm))
        troubled = [m for m in vehicles if _in_trouble(norm, m)]
        if troubled:
            places = len(_PLACES[mode].findall(norm))
            score = 2 * len(troubled) + len(vehicles) + places
            scores[mode] = (score, -troubled[0].start(), troubled[0].span())
    if not scores:
        return {}
    mode = max(scores, key=lambda m: scores[m][:2])
    spans["transport.mode"] = scores[mode][2]
    return {"transport.mode": mode}
