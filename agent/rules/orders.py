"""Read a protective-action order from the report: who ordered evacuating or sheltering.

"Le COS demande la mise à l'abri des habitations sous le vent" decides the life-safety
question before any rule does: the fire commander, the prefect or the mayor directs
public protection. This finds such an order (EN/FR) and quotes it; a negated one ("no
evacuation ordered", "pas d'évacuation demandée") is not an order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agent.text import normalise

Direction = Literal["evacuate", "shelter_in_place"]

AUTHORITY = (
    r"(?:cos|sdis|pompiers|sapeurs[- ]pompiers|fire (?:brigade|service|department|chief|officer)"
    r"|firefighters|incident commander|prefe(?:c)?t(?:ure)?|sous-prefet|maire|mayor|police"
    r"|gendarmerie|authorit(?:y|ies)|autorites?|dos)"
)
VERB = (
    r"(?:order(?:s|ed)?|demand(?:s|ed|e|ent)?|request(?:s|ed)?|ask(?:s|ed)?|impose(?:s|d|nt)?"
    r"|decid(?:e|es|ed|ent)|ordonn\w*|exig\w*|decret\w*|declench\w*|calls? for|tells?|told)"
)
ACTIONS: dict[Direction, str] = {
    "evacuate": r"(?:evacu\w*|leave (?:the|their) (?:homes?|area|site|buildings?))",
    "shelter_in_place": (
        r"(?:shelter\w*(?: in place)?|confin\w*|mise a l.abri|mettre a l.abri|se mettre a l.abri"
        r"|rester (?:a l.interieur|chez (?:eux|soi)|calfeutres?)|stay (?:indoors|inside)"
        r"|lock ?down)"
    ),
}
WHO = {
    "cos": "the fire commander (COS)",
    "dos": "the authority in charge (DOS)",
    "prefet": "the prefect",
    "prefect": "the prefect",
    "prefecture": "the prefect",
    "sous-prefet": "the prefect",
    "maire": "the mayor",
    "mayor": "the mayor",
    "police": "the police",
    "gendarmerie": "the police",
    "incident commander": "the incident commander",
}
"""Who gave an order, as the briefing names it; any other fire-service word is the fire service."""
NOUN_ORDER = r"(?:order|ordre|consigne|instruction)s?"
NEGATION = re.compile(r"\b(?:no|not|pas|aucune?|sans|ni|never|jamais)\b")
GAP = r"(?:[\w'-]+\W+){0,6}?"


@dataclass(frozen=True)
class Order:
    """An order found in the report: its direction, who gave it, the words it was read from."""

    direction: Direction
    by: str
    words: str


def _patterns() -> list[tuple[Direction, re.Pattern[str]]]:
    out: list[tuple[Direction, re.Pattern[str]]] = []
    for direction, action in ACTIONS.items():
        out.append((direction, re.compile(rf"\b(?P<by>{AUTHORITY})\W+{GAP}{VERB}\W+{GAP}{action}")))
        out.append((direction, re.compile(rf"\b{action}\W+{GAP}(?:ordered|ordonnee?s?) by\W+"
                                          rf"(?:the\s+)?(?P<by>{AUTHORITY})")))
        out.append((direction, re.compile(rf"\b{NOUN_ORDER}\W+(?:d.|de |to |of )?{action}")))
    return out


_PATTERNS = _patterns()


def read_order(text: str) -> Order | None:
    """The first protective-action order stated in the text, or None."""
    norm = normalise(text)
    found: list[tuple[int, Order]] = []
    for direction, pattern in _PATTERNS:
        for match in pattern.finditer(norm):
            if _negated(norm, match.start(), match.end()):
                continue
            by = _who(match.groupdict().get("by"))
            found.append((match.start(), Order(direction, by, _quote(text, norm, match))))
    return min(found, key=lambda f: f[0])[1] if found else None


def _who(found: str | None) -> str:
    if found is None or found.startswith("autorit") or found.startswith("authorit"):
        return "the authorities"
    return WHO.get(found, "the fire service")


def _negated(norm: str, start: int, end: int) -> bool:
    """A negation inside the match or just before it ("no evacuation has been ordered")."""
    window = norm[max(0, start - 12) : end]
    return bool(NEGATION.search(window))


def _quote(text: str, norm: str, match: re.Match[str]) -> str:
    source = text if len(text) == len(norm) else norm
    return " ".join(source[match.start() : match.end()].split())
