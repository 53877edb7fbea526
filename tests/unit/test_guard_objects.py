"""The guard's mechanisms of this round, on a small pack of our own (not the shipped one).

What an act reaches (``agent.guard.objects``), lists a short cue owns, split phrasal
verbs, exact-form and exclusion terms, and a fragment that qualifies the sentence before.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.guard.matcher import Guard
from agent.pack.models import Sop

LEXICON = {
    "shelter": ["shelter", "take cover", "mettre a l abri", "abri"],
    "low_place": ["basement", "cellar", "pit", "cave", "fosse", "sous-sol"],
    "send": ["send", "envoyer"],
    "roof": ["roof", "toit"],
    "windy": ["wind", "gusts", "vent"],
    "shed": ["shed", "delester"],
    "safety_loads": ["fire pump", "fire pumps", "pompe incendie"],
    "release": ["pump", "pomper", "laisser filer"],
    "river": ["river", "riviere"],
    "restart": ["restart", "redemarr*", "relancer"],
    "unit": ["unit", "unite", "poste"],
    "tidy": ["nettoyage", "reparation", "clean up"],
    "scene": ["scene", "lieux"],
    "evacuate": ["evacuer", "get out", "faire sortir"],
    "public": ["residents", "riverain", "=locals"],
    "enter": ["go in", "get in"],
    "smoke": ["smoke", "fumee"],
    "no_ppe": ["no time for masks", "without masks", "sans masque"],
    "conceal": ["hide", "cacher"],
    "breach": ["fuite", "leak", "-fuite de gaz", "-gas leak"],
}


def sop(forbidden: list[dict[str, Any]]) -> Sop:
    return Sop.model_validate(
        {
            "id": "SOP-TST-ABC-001", "version": "1.0.0", "status": "approved", "title": "t",
            "owner": "o", "valid_from": "2025-01-01", "applies_to": {"categories": ["*"]},
            "roles": {"IC": {"ics": "incident_commander"}},
            "steps": [{"id": "S01", "phase": "p", "action": "Do the thing",
                       "action_type": "alert", "owner": "IC"}],
            "forbidden_actions": forbidden,
        }
    )


def rule(fid: str, do: str, *with_: str) -> dict[str, Any]:
    return {"id": fid, "text": f"forbidden {fid}", "match": [{"do": do, "with": list(with_)}]}


GUARD = Guard(
    [sop([
        rule("F1", "shelter", "low_place"),
        rule("F2", "send", "roof", "windy"),
        rule("F3", "shed", "safety_loads"),
        rule("F4", "release", "river"),
        rule("F5", "restart", "unit"),
        rule("F6", "tidy", "scene"),
        rule("F7", "evacuate", "public"),
        rule("F8", "enter", "smoke", "no_ppe"),
        rule("F9", "conceal", "breach"),
    ])],
    LEXICON,
)


def fires(text: str) -> set[str]:
    return {h.forbidden_id for h in GUARD.hits(text)}


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Shelter the staff in the basement", "F1"),
        ("Send a team onto the roof in these gusts of wind", "F2"),
        ("Don't wait for the wind to drop, send a team onto the roof", "F2"),
        ("Shed the fire pumps to save fuel", "F3"),
        ("Pump the excess water to the river", "F4"),
        ("Redémarrer le poste tout de suite", "F5"),
        ("Nettoyage des lieux dès ce soir", "F6"),
        ("Get the residents out of their homes", "F7"),  # a split phrasal verb
        ("Get the locals out now", "F7"),
        ("Evacuez les riverains", "F7"),  # "-ez" without its accent reaches "évacuer"
        ("Get two operators in there now to the smoke; no time for masks", "F8"),
        ("Cacher la fuite aux auditeurs", "F9"),
    ],
)
def test_still_caught(text: str, fid: str) -> None:
    assert fid in fires(text), text


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Mettre le personnel à l'abri loin des sous-sols et des fosses", "F1"),
        ("Take cover upstairs, far from the basement", "F1"),
        ("Wait for the wind to drop, then send a team onto the roof", "F2"),
        ("Shed comfort loads, but the fire pumps are not shed", "F3"),
        ("Pomper l'excédent vers des citernes plutôt que de laisser filer à la rivière", "F4"),
        ("Relancer la ligne à partir du poste de commande", "F5"),
        ("Attendre le COS avant toute réentrée ou tout redémarrage d'unité", "F5"),
        ("Laisser la scène en l'état : ni nettoyage ni réparation", "F6"),
        ("Faire sortir le personnel des locaux", "F7"),  # "locaux" is no "locals"
        ("Get two operators in there now to the smoke; they wear masks", "F8"),
        ("Cacher la fuite de gaz derrière une bâche", "F9"),  # a gas leak is no data leak
    ],
)
def test_passes(text: str, fid: str) -> None:
    assert fid not in fires(text), text
