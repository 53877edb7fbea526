"""Whether the effects reach beyond the fence: ``effects.offsite`` (EN and FR).

Smoke over the motorway, a cloud heading for the housing estate, the river white
downstream, windows broken in the village: the public is concerned and the off-site
plan, the prefect and the neighbours' warning follow. A denial ("no off-site impact",
"pas d'effet hors site") reads False; when a report says both, the later words win,
because logs are written in time order.
"""

from __future__ import annotations

import re
from typing import Any

from agent.rules.plume import ON_SITE, PLUME

Span = tuple[int, int]

PLACES = (
    r"(?:motorway|autoroute|highway|a\d{1,3}|m\d{1,2}|ring road|rocade|road|route|street|rue|"
    r"rues|(?:housing )?estate|village|town(?: centre)?|city|houses|homes|flats|gardens?|"
    r"allotments|schools?|ecoles?|neighbou?rs?|neighbou?ring|quartier|agglomeration|ville|"
    r"communes?|riverains|habitations|housing|maisons|jardins|lotissement|suburbs?|river|riviere|"
    r"fleuve|canal|seine|loire|rhone|marne|beach|plage|champs?|fields?|littoral|cotes?|coast\w*|"
    r"shore\w*)"
)
_MOVE_ONTO = (
    r"(?:over|across|onto|on|towards?|toward|into|in|sur|vers|au-dessus d\w+|au dessus d\w+|"
    r"dans|jusqu.(?:a|au|aux)|for|heading for|to|a|au|aux|en direction d\w+)"
)
_ARTICLE = r"(?:the |le |la |les |l.|des |du |d.|our |nos |tout le |toute la )?"
_EFFECT = (
    PLUME[:-1] + r"|pollution|nappe|irisation|product|produit|debris|fioul|oil|diesel|"
    r"soude|eaux d.extinction|fire water|flammes|flames|cendres|suies?|soot|retombee?s?|"
    r"wheat|grain|ble|cereales|cargo|cargaison|chargement)"
)
TRUE = [
    rf"\b{_EFFECT}\b[^.;]{{0,60}}?\b{_MOVE_ONTO}\s+{_ARTICLE}"
    rf"(?:[\w']+\s+){{0,4}}?{PLACES}\b",
    r"\b(?:off[- ]?site(?! power| supply| grid| electricity)|over the fence|"
    r"beyond the (?:fence|boundary|perimeter|site)|"
    r"outside the (?:site|fence|boundary|plant|works)|hors (?:du )?site|"
    r"\d+ ?(?:m|metres|meters|km) (?:outside|beyond|past) the (?:main )?gates?|"
    r"au-dela de (?:la cloture|l.enceinte|du site)|"
    r"a l.exterieur (?:du site|de l.usine|de l.enceinte))",
    r"\b(?:pollution|irisation|sheen|product|produit|oil|fioul|diesel|poissons|fish|mousse|foam|"
    r"hydrocarbures?|petrole|gazole|essence|petrol|chemicals?|ruisseau|riviere|river|stream)"
    r"\b[^.;]{0,60}\b(?:downstream|en aval)\b",
    r"\b(?:felt|heard|ressentie?s?|entendue?s?|visible)\s+(?:up to |jusqu.a |a |from |at )?"
    r"(?:(?:plusieurs|des|several|dizaines de|tens of|\d+)\s+)+(?:kilomet\w*|km|miles?)\b",
    r"\b(?:felt|shook) (?:the|my|our) (?:whole )?(?:house|home|flat)",
    r"\b(?:windows?|vitres?|fenetres?|shop front|vitrines?)\b[^.;]{0,40}\b(?:village|estate|"
    r"street|town|kilomet\w*|km away|quartier|rue|alentours?|centre-ville)\b",
    r"\b(?:pue|stinks?|smells?|odeur|odou?r|fumees?|smoke)\b[^.;]{0,40}\b(?:across|dans) "
    r"(?:the |tout le |toute la )(?:estate|quartier|ville|village|commune)\b",
    r"\b(?:riviere|river|cours d.eau|ruisseau)\b[^.;]{0,40}\b(?:blanchatre|polluee?|white|"
    r"foam|mousse|poissons morts|dead fish|irisation|sheen)",
    r"\b(?:ca pue|smells? like|strong smell)\b[^.;]{0,40}\b(?:in|dans|sur)\s+"
    r"(?:tout )?(?:le |la |l.)?[a-z]",
    r"\b(?:complaints?|plaintes?|appels?|signalements?)\b[^.;]{0,30}\b(?:from |de |des )?"
    r"(?:residents|riverains|neighbou?rs|habitants|voisins|the public|locals)\b",
    r"\b(?:residents|riverains|neighbou?rs|habitants|voisins|locals)\b[^.;]{0,30}"
    r"\b(?:complain\w*|se plaignent|signalent|report\w*)\b[^.;]{0,30}"
    r"\b(?:smell|odou?r|odeur|smoke|fumee|irritation|stinging|picotements)",
    r"\b(?:residents|riverains|neighbou?rs|habitants|voisins|locals)\s+(?:appellent|are calling|"
    r"calling in|phoning|ont appele|keep calling)\b",
    r"\b(?:monitoring well|piezometre|well)\b[^.;]{0,60}\b(?:outside|above the limit)",
    r"\b(?:houses|homes|buildings|shops|flats|apartments?|offices|warehouses|factories|businesses)\s+(?:across|along|over|"
    r"opposite|next door|nearby|on the other side of)\b[^.;]{0,30}\b(?:flattened|destroyed|"
    r"damaged|on fire|burning|ablaze|collapsed|blown (?:in|out))",
    r"\b(?:vitres|fenetres|maisons|habitations|batiments|bureaux|commerces)\b[^.;]{0,40}"
    r"\b(?:voisine?s?|alentour|du quartier|d.en face)\b[^.;]{0,30}\b(?:soufflee?s?|detruite?s?|"
    r"endommagee?s?|brisee?s?|en feu)",
    r"\b(?:incendie|feu|flammes|fire|blaze|flames)\b[^.;]{0,20}\b(?:ravage\w*|devaste\w*|"
    r"sweeps? through|swept through|engulf\w*)\s+(?:tout |toute |much of )?(?:le |la |the )?"
    r"(?:quartier|village|ville|centre-ville|lotissement|neighbourhood|neighborhood|town|"
    r"district|estate)\b",
    r"\b(?:at the school|a l.ecole|in the town|dans la ville|en ville)\b[^.;]{0,40}"
    r"\b(?:reads|mesure|smell|odeur)",
]
FALSE = [
    r"\bno (?:off[- ]?site|offsite|external) (?:impact|effect|consequence|release)s?\b",
    r"\bno (?:impact|effect|consequence|release)s?\b[^.;]{0,20}\b(?:beyond|outside|off)\b",
    r"\bnothing (?:detected|measured|found|seen)\b[^.;]{0,20}\b(?:at|beyond|outside) the "
    r"(?:fence|boundary|perimeter|site)",
    r"\bneighbou?ring\b[^.;]{0,40}\b(?:not affected|unaffected)\b",
    r"\b(?:pas|aucune?)\s+(?:d.|de\s+)?(?:effets?|impacts?|consequences?|contamination|pollution|"
    r"odeurs?|fumees?|retombees?)\b[^.;]{0,30}\b(?:hors (?:du )?site|a l.exterieur)",
    r"\b(?:stayed|remained|kept) (?:inside|within|on) (?:the )?(?:site|fence|plant|boundary)",
    r"\bno (?:smell|odou?r|smoke|cloud|gas)\b[^.;]{0,30}"
    r"\b(?:off[- ]?site|outside|beyond|at the fence)",
]
_TRUE = [re.compile(p) for p in TRUE]
_FALSE = [re.compile(p) for p in FALSE]
_DENIED = re.compile(r"\b(?:no|not|pas de|aucune?|without|sans|nothing)\b[^.;]{0,25}$")


def _statements(norm: str) -> list[tuple[int, bool, Span]]:
    """Every statement about off-site effects, where it is and what it says."""
    said = [(m.start(), False, m.span()) for p in _FALSE for m in p.finditer(norm)]
    for index, pattern in enumerate(_TRUE):
        for m in pattern.finditer(norm):
            # Only a movement towards a place can end on site ("smoke towards the gate").
            on_site = index == 0 and ON_SITE.search(m[0][-25:]) is not None
            if not _denied(norm, m.start()) and not on_site:
                said.append((m.start(), True, m.span()))
    denials = [a for a, ok, _ in said if not ok]
    return [s for s in said if not s[1] or not any(a <= s[0] < a + 40 for a in denials)]


CLOUD = re.compile(
    r"\b(?:cloud|haze|mist|nuage|brume|brouillard)\b(?! of (?:\w+ )?smoke| de fumee)"
)
"""A gas cloud (not smoke): off site with a named substance, a toxic release beyond the fence."""
SLICK = re.compile(
    r"\b(?:slick|nappe de (?:fioul|petrole|gazole|hydrocarbures?|mazout)|oil spill)\b"
)
ROAD_CLOSED = re.compile(
    r"\b(?:police|gendarmerie|authorities|autorites|highways agency|prefecture)\b[^.;]{0,30}"
    r"\b(?:clos\w*|shut\w*|block\w*|ferm\w*|coup\w*)\b[^.;]{0,25}\b(?:road|slip road|"
    r"motorway|highway|route|autoroute|bretelle|rocade|ring road|a\d{1,3})\b"
    r"|\b(?:motorway|slip road|highway|autoroute|bretelle|rocade|a\d{1,3})\b[^.;]{0,25}"
    r"\b(?:closed|shut|fermee?|coupee?)\b"
)
"""An authority closing a road because of what came over the fence: a measure off site."""


def _release(norm: str, known: dict[str, Any]) -> re.Match[str] | None:
    """What makes an off-site effect a release beyond the fence (environment S3), if said."""
    if "substance.un" in known:
        cloud = next((m for m in CLOUD.finditer(norm) if not _denied(norm, m.start())), None)
        if cloud is not None:
            return cloud
    return SLICK.search(norm) or ROAD_CLOSED.search(norm)


def _denied(norm: str, start: int) -> bool:
    return _DENIED.search(norm, max(0, start - 25), start + 1) is not None


def read_offsite(norm: str, spans: dict[str, Span], known: dict[str, Any]) -> dict[str, Any]:
    """``effects.offsite``: the latest statement wins; a plume towards a named place is one.

    ``effects.offsite_release`` when the effect is a gas cloud of a named substance or a
    slick, or the authorities close a road for it: more than smoke or an odour smelled.
    """
    said = _statements(norm)
    if not said and "plume.towards" in known and "plume.towards" in spans:
        said = [(0, True, spans["plume.towards"])]
    if not said:
        return {}
    _, value, span = max(said)
    spans["effects.offsite"] = span
    found: dict[str, Any] = {"effects.offsite": value}
    release = _release(norm, known) if value else None
    if release is not None:
        found["effects.offsite_release"] = True
        spans["effects.offsite_release"] = release.span()
    return found
