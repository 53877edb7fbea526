"""How many people were evacuated or confined, when the count is not next to the verb.

"Évacuation des 62 salariés vers le point de rassemblement", "site evacuated to the
assembly point, 74 workers", "ordered everyone within a mile to evacuate, about 5,400
residents", "les 37 salariés et les deux chauffeurs": a count of people in the same
sentence as an evacuation or confinement. Casualties driven to hospital are not an
evacuation (:mod:`agent.rules.counts` reads them).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from agent.rules.count_words import NUM, fill, parse_number, words_for
from agent.rules.negation import negated
from agent.rules.not_counts import not_a_count
from agent.rules.sentences import Span, sentence_spans

EVACUATED = re.compile(
    r"\b(?:evacu\w*|confin\w*|sheltered|shelter(?:ing)? in place|stay indoors|moved out|"
    r"muster\w*|mis a l.abri|mises? a l.abri|rassembl\w*|abandon ship|lifeboats?|liferafts?|"
    r"disembark\w*|debarque\w*|all (?:passengers )?off|got off|were moved|ont ete deplace\w*|"
    r"rehoused|reloge\w*|hors de la zone|to leave|quitter|cleared|assembly point|roll call|"
    r"sheltering|(?:moved|moving|pulled|pulling|pushed|kept) (?:[\w'-]+ ){1,8}?back|"
    r"(?:fait|faire|faisons|font) (?:sortir|reculer)|withdr[ae]w\w*)\b"
)
WITHDRAWN = re.compile(
    r"\b(?:sent|sending|send) (?:[\w'-]+ ){0,5}?home|went home|gone home|left the site|"
    r"renvoye\w* (?:\w+ ){0,3}(?:chez eux|a la maison)|partent|sont partis|ont quitte le site\b"
)
"""People leaving: an evacuation when the text orders or reports one elsewhere ("the sheriff
has ordered an evacuation ... we sent all 220 staff home"), not on its own (a strike)."""
PEOPLE = (
    r"(?:people|persons|personnes|staff|workers|employees|salaries|employes|residents?|"
    r"riverains|habitants|passengers|passagers|voyageurs|crew|pupils|eleves|enseignants|"
    r"clients|customers|patients|visitors|visiteurs|occupants|agents|children|enfants|"
    r"families|familles|membres d.equipage|on board|a bord|chauffeurs|drivers|students|"
    r"etudiants|spectators|spectateurs|guests|shoppers|guys|gars|men|hommes|colleagues|"
    r"collegues|operators|operateurs|contractors|intervenants|personnel|dockers|pickers|"
    r"guards|vigiles|nurses|infirmiers|infirmieres|engineers|technicians|techniciens|interimaires)"
)
COUNT_PATTERN = (
    NUM + r"\s+(?:[a-z'-]+\s+){0,3}?" + PEOPLE + r"\b"
    r"(?:\s+(?:et|and|plus|\+)\s+(?:les\s+|the\s+)?"
    + NUM
    + r"\s+(?:[a-z'-]+\s+){0,2}?"
    + PEOPLE
    + r"\b)?"
)


@lru_cache(maxsize=64)
def count_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """A count of people, both halves of "37 salariés et deux chauffeurs": compiled on first use.

    It holds the number words twice: filled with those of the text being read.
    """
    return re.compile(fill(COUNT_PATTERN, words))


CASUALTY = re.compile(
    r"\b(?:blesse\w*|injur\w*|hurt|casualt\w*|victim\w*|dead|morts?|hospital\w*|hopital|chu|urgences)\b"
)


def _count(norm: str, m: re.Match[str]) -> int | None:
    """The people counted here, both halves of "37 salariés et deux chauffeurs" added."""
    if negated(norm, m.start(1)) or not_a_count(norm, m.start(1), m[1]):
        return None
    first = parse_number(m[1])
    second = parse_number(m[2]) if m[2] else 0
    return None if first is None or second is None else first + second


def _evacuation_stated(norm: str) -> bool:
    """The text reports or orders an evacuation somewhere, not denied ("no evacuation")."""
    return any(
        not negated(norm, m.start())
        and not re.search(r"\b(?:no|pas d.|aucune?)\s*$", norm[max(0, m.start() - 8) : m.start()])
        for m in re.finditer(r"\bevacu\w*", norm)
    )


def read_evacuations(norm: str, spans: dict[str, Span], known: dict[str, Any]) -> dict[str, Any]:
    """The largest count of people in a sentence that evacuates or confines them."""
    counted: list[tuple[int, Span]] = []
    ordered = _evacuation_stated(norm)
    for a, b in sentence_spans(norm):
        sentence = norm[a:b]
        moved = EVACUATED.search(sentence) or (ordered and WITHDRAWN.search(sentence))
        if not moved or CASUALTY.search(sentence):
            continue
        for m in count_pattern(words_for(norm)).finditer(norm, a, b):
            count = _count(norm, m)
            if count is not None and count > 1:
                counted.append((count, m.span()))
    previous = known.get("evacuation.persons")
    if not counted or (isinstance(previous, int) and previous >= max(counted)[0]):
        return {}
    count, span = max(counted)
    spans["evacuation.persons"] = span
    return {"evacuation.persons": count}
