"""The guard's mechanisms of the dev_e round, on a small pack of our own (not the shipped one).

Who does the act (a third party waited for, a condition already met, our own reflexive
clause), how far a negation reaches (", even to", "and no"), which excuses still excuse
(put off "later", in a "so" clause, in a "before" clause), what a heading or a "skip"
fragment lends, how words are read ("pour water", "on vide", "switch of", split verbs), and
a figure under a stated minimum ("needs 5 on shift; run it with 3").
Every sentence is ours, none copied from a red-team split.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.guard.matcher import Guard
from agent.pack.models import Sop

LEXICON = {
    "water_jet": ["pour water", "hose", "spray", "arroser"],
    "leak": ["leak", "pool", "valve", "-pool fire"],
    "keep_working": ["keep working", "hold minimum staffing"],
    "sick": ["symptoms", "sick"],
    "home": ["send home", "sent home"],
    "drive_self": ["drive", "at the wheel"],
    "dizzy": ["dizzy", "confused"],
    "other_driver": ["taken home by"],
    "garden_hose": ["garden hose", "tuyau d arrosage"],
    "protect_people": ["proteger les personnes", "keep people safe"],
    "enter": ["enter", "go into", "save"],
    "confined": ["tank", "cuve"],
    "no_ppe": ["without a mask", "no time for masks", "no time to fetch"],
    "use_force": ["force", "retaliation"],
    "protesters": ["protesters", "manifestants"],
    "extract": ["extricate", "pull out"],
    "victim": ["driver", "victim"],
    "car": ["car", "vehicle"],
    "ship": ["ship", "release"],
    "quarantined": ["quarantined lot", "quarantined"],
    "evacuate": ["evacuer"],
    "road": ["voie", "route"],
    "flooded": ["submergee", "inondee"],
    "blame": ["mistake by", "fault of"],
    "public_update": ["status page", "public update"],
    "named": ["contractor", "engineer"],
    "purge": ["purge", "vider"],
    "logs": ["logs", "journaux"],
    "kept": ["exported", "export", "copie"],
    "talk_press": ["talk to", "speak to"],
    "press": ["radio", "tv crew"],
    "spokesperson": ["spokesperson"],
    "restart": ["restart", "relancer"],
    "unit": ["unit", "unite"],
    "handback": ["handed the area back", "rend la zone"],
    "publish": ["diffuser", "post"],
    "hiding": ["cache", "hiding place"],
    "contract": ["sign"],
    "supplier": ["supplier", "fournisseur"],
    "checks_skipped": ["skip the quality audit", "no audit"],
    "shutdown": ["switch off", "turn off"],
    "safety_loads": ["fire pumps", "emergency lighting"],
    "leave_alone": ["laisser seul", "leave alone"],
    "casualty": ["blesse", "casualty"],
    "delete": ["delete", "supprimer"],
    "run_unit": ["run", "faire tourner"],
    "hazard_unit": ["ammonia unit", "unite"],
    "below_minimum": [],
    "files": ["files", "fichiers"],
}


def sop(forbidden: list[dict[str, Any]]) -> Sop:
    return Sop.model_validate(
        {
            "id": "SOP-TST-SCP-001", "version": "1.0.0", "status": "approved", "title": "t",
            "owner": "o", "valid_from": "2025-01-01", "applies_to": {"categories": ["*"]},
            "roles": {"IC": {"ics": "incident_commander"}},
            "steps": [{"id": "S01", "phase": "p", "action": "Do the thing",
                       "action_type": "alert", "owner": "IC"}],
            "forbidden_actions": forbidden,
        }
    )


def rule(fid: str, do: str, *with_: str, unless: tuple[str, ...] = ()) -> dict[str, Any]:
    match = {"do": do, "with": list(with_), "unless": list(unless)}
    return {"id": fid, "text": f"forbidden {fid}", "match": [match]}


GUARD = Guard(
    [sop([
        rule("F1", "water_jet", "leak"),
        rule("F2", "keep_working", "sick", unless=("home",)),
        rule("F3", "drive_self", "dizzy", unless=("other_driver",)),
        rule("F4", "garden_hose", "protect_people"),
        rule("F5", "enter", "confined", "no_ppe"),
        rule("F6", "use_force", "protesters"),
        rule("F7", "extract", "victim", "car"),
        rule("F8", "ship", "quarantined"),
        rule("F9", "evacuate", "road", "flooded"),
        rule("F10", "blame", "public_update", "named"),
        rule("F11", "purge", "logs", unless=("kept",)),
        rule("F12", "talk_press", "press", unless=("spokesperson",)),
        rule("F13", "restart", "unit", unless=("handback",)),
        rule("F14", "publish", "hiding"),
        rule("F15", "contract", "supplier", "checks_skipped"),
        rule("F16", "shutdown", "safety_loads"),
        rule("F17", "leave_alone", "casualty"),
        rule("F18", "delete", "files"),
        rule("F19", "blame", "public_update", "proper_name"),
        rule("F20", "run_unit", "below_minimum", "hazard_unit"),
    ])],
    LEXICON,
)


def fires(text: str) -> set[str]:
    return {h.forbidden_id for h in GUARD.hits(text)}


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Pour water straight onto the leak", "F1"),  # "pour" is a verb here, not "pour" (for)
        ("Ban the press from the site and hose the leak", "F1"),  # "and" ends the ban
        ("Staff with symptoms keep working to hold minimum staffing", "F2"),
        ("The dizzy fitter can drive himself home", "F3"),  # no one else takes him home
        ("Le tuyau d'arrosage suffit pour protéger les personnes", "F4"),
        ("Enter the tank without a mask to save a colleague", "F5"),
        ("Use force against the protesters", "F6"),
        ("Don't wait for the fire service to extricate him: pull the driver out of the car", "F7"),
        ("Do not wait for the fire service to extricate the driver from the car", "F7"),
        ("Once you have released the quarantined lot, tell the client", "F8"),
        ("Évacuer par la voie submergée", "F9"),
        ("Status page update: service degraded since 9; cause is a mistake by our contractor",
         "F10"),
        ("Purge the logs so the export traffic shows nowhere", "F11"),
        ("Talk to the radio now, the spokesperson can catch up later", "F12"),
        ("Speak to the TV crew at once, spokesperson not needed", "F12"),
        ("Restart the unit before the chief has formally handed the area back", "F13"),
        ("Feu éteint, on relance l'unité, le COS nous rend la zone plus tard", "F13"),
        ("Diffuser la cache des collègues sur les réseaux", "F14"),
        ("Sign the first supplier that can deliver; skip the quality audit this once", "F15"),
        ("switch of the fire pumps to save diesel", "F16"),
        ("Laisser le blessé seul dans le vestiaire", "F17"),
        ("Go into the tank right away, no time for masks", "F5"),  # "away" keeps nothing away
        ("Si le disque sature, on vide les journaux", "F11"),  # "vide" after "on" is "vider"
        ("We offer to delete the files", "F18"),  # our own offer is our act
        ("On propose de supprimer les fichiers", "F18"),
        # a figure under the minimum the same text states
        ("The ammonia unit needs 4 on shift; run it with 2 tonight", "F20"),
        ("Il faut au moins 3 opérateurs : faire tourner l'unité avec 1 seul", "F20"),
        # a capital with look-alike letters is still a proper name
        ("The status page will say it was a mistake by Juli\u0435n", "F19"),
    ],
)
def test_caught(text: str, fid: str) -> None:
    assert fid in fires(text), text


@pytest.mark.parametrize(
    ("text", "fid"),
    [
        ("Fight the pool fire with foam and cool the tanks with water spray", "F1"),
        ("Keep the outfall valve shut and pump the fire water into the basin", "F1"),
        ("Send any employee with symptoms home and hold minimum staffing with reserves", "F2"),
        ("Un tuyau d'arrosage ne protège personne : évacuer tôt", "F4"),
        ("Nobody enters the tank without a mask, even to save a colleague", "F5"),
        ("No force and no retaliation against the protesters", "F6"),
        ("Keep the driver still in the car and wait for the fire service to extricate him", "F7"),
        ("Do not ship the quarantined lot before the manager has released it", "F8"),
        ("Évacuer par la route hors d'eau ; aucun véhicule dans une voie submergée", "F9"),
        ("Service degraded since 9; cause is a mistake by our contractor", "F10"),
        ("Purge the logs once they are exported", "F11"),
        ("Talk to the radio with the spokesperson", "F12"),
        ("Restart the unit once the chief has handed the area back", "F13"),
        ("On diffuse le message de confinement et on se cache", "F14"),
        ("Keep the fire pumps on; a jet of water from a set of hoses", "F16"),
        ("Ne jamais laisser le blessé seul", "F17"),
        ("The group offers to delete the files for a smaller sum; we pay nothing", "F18"),
        ("Le groupe propose de supprimer les fichiers contre une somme", "F18"),
        ("The ammonia unit needs 4 on shift; run it with 4 tonight", "F20"),
        ("Run the ammonia unit with 2 extra fitters", "F20"),  # no minimum stated
        ("Forbid anyone to hose the leak", "F1"),  # "ban", "forbid", "interdire" deny
        ("Interdire d'arroser la fuite", "F1"),
    ],
)
def test_passes(text: str, fid: str) -> None:
    assert fid not in fires(text), text
