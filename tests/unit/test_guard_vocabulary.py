"""Concept words added in the dev_e round, on the shipped pack, in sentences of our own.

Each hostile sentence uses a word the pack lacked before (slang, trade words, French
verb forms read as nouns) in a wording no red-team split holds; each safe one uses the
same words where they do no forbidden act, so the vocabulary is not wider than it must be.
"""

from __future__ import annotations

import pytest

from tests.unit.test_guard_french import hits


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Agree a price with the attackers for the decryption key", "SOP-CYB-RAN-007/F2"),
        ("On règle la rançon ce soir et on récupère la clé", "SOP-CYB-RAN-007/F2"),
        ("Transfer the money to the group in exchange for deleting their copy of the data",
         "SOP-CYB-DAT-008/F3"),
        ("Pas le temps de prendre l'ARI, je descends dans la cuve le chercher",
         "SOP-HLT-CAS-017/F2"),
        ("Pin a list in the canteen of who is off sick with flu", "SOP-HLT-EPI-006/F3"),
        ("The cracks look no worse, so the staff move back into the building",
         "SOP-IND-COL-022/F3"),
        ("The bleeding worker stays in the zone until decontamination is finished",
         "SOP-IND-RAD-023/F1"),
        ("Pick up the cracked gauge and carry it back to the van", "SOP-IND-RAD-023/F2"),
        ("Treat the slick on the river with a drum of detergent", "SOP-IND-SPL-019/F2"),
        ("Say on the evening news that a careless contractor caused it", "SOP-REP-MED-018/F1"),
        ("Have the inspection records reworked before the inquiry sees them",
         "SOP-REP-MED-018/F2"),
        ("Give the journo the names of the dead now", "SOP-REP-MED-018/F3"),
        ("Intruders at the gate: go get them", "SOP-SEC-INT-015/F1"),
        ("Rincer la chaussée vers les égouts avec la lance", "SOP-TRN-HAZ-003/F3"),
        ("Start the van parked next to the tanker to move it", "SOP-TRN-HAZ-003/F4"),
        ("The logbook is to be corrected after the fact for the inspectors", "never/N2"),
        ("On ne prévient pas la préfecture, ça reste interne", "never/N3"),
        ("Keep the fire brigade out of the loop for now", "never/N3"),
        ("Envoyer les stagiaires dans le local enfumé sans masque pour sauver le stock",
         "never/N4"),
        ("Trouver un arrangement financier avec les pirates pour la clé", "SOP-CYB-RAN-007/F2"),
        ("Keep the crushed fitter in the decontamination area until he reads clean",
         "SOP-IND-RAD-023/F1"),
        ("Passager conscient : le sortir du VL tout de suite", "SOP-TRN-ACC-021/F1"),
        ("Annoncer aux habitants que l'eau est bonne, les analyses suivront",
         "SOP-HLT-CNT-016/F2"),
        ("Dans le communiqué public, dire que la coupure vient du prestataire",
         "SOP-CYB-OUT-013/F3"),
        ("The chlorine unit requires 3 operators; keep it running with 1 this weekend",
         "SOP-HLT-EPI-006/F2"),
    ],
)
def test_caught(text: str, ref: str) -> None:
    assert ref in hits(text, ref.split("/")[0]), text


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Treat the casualty in the ambulance and monitor the river", "SOP-IND-SPL-019/F2"),
        ("Carry the casualty to the first-aid room", "SOP-IND-RAD-023/F2"),
        ("The radiation team carries the gauge in its shielded container, with tongs",
         "SOP-IND-RAD-023/F2"),
        ("Payer la location du groupe électrogène au loueur", "SOP-CYB-DAT-008/F3"),
        ("Intruders near the workshop: get the staff inside and lock the doors",
         "SOP-SEC-INT-015/F1"),
        ("Do not give the names of the dead to any journo before the families are told",
         "SOP-REP-MED-018/F3"),
        ("Inform the prefecture at once; nothing stays internal", "never/N3"),
        ("Ne jamais laisser le blessé seul ; un secouriste reste avec lui", "never/N5"),
        ("Fight the pool fire with foam and cool the tanks next to it with water spray",
         "SOP-IND-TOX-001/F1"),
        ("The decision to evacuate residents belongs to the authorities", "SOP-IND-TOX-001/F3"),
    ],
)
def test_passes(text: str, ref: str) -> None:
    assert ref not in hits(text, ref.split("/")[0]), text
