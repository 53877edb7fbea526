"""Situation facts SOPs and the categoriser read, stated in words (EN and FR)."""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Event
from agent.rules.categorise import categorise
from agent.rules.facts import assemble_facts
from agent.rules.text_facts import extract_facts, extract_spans


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("Grid dropped at 14:03, we are on the generators", "power.grid_lost", True),
        ("Coupure EDF sur tout le secteur depuis 6h", "power.grid_lost", True),
        ("The site has no internet and no phones", "telecom.lost", True),
        ("Plus de téléphone ni d'internet à l'agence", "telecom.lost", True),
        ("All the files on the accounting server are encrypted", "systems.encrypted", True),
        ("Une centaine de postes chiffrés ce matin", "systems.encrypted", True),
        ("Odd logins on the VPN but nothing encrypted so far", "systems.encrypted", False),
        ("A note on the desktop demanding 0.2 BTC", "ransom.demand", True),
        ("Un fichier texte réclamant une rançon", "ransom.demand", True),
        ("A jackknifed tanker is blocking the A7", "vehicle.tanker_involved", True),
        ("Deux wagons-citernes couchés en gare", "vehicle.tanker_involved", True),
        ("The roof of building 6 has partly collapsed", "structure.damage_observed", True),
        ("La toiture du magasin est arrachée", "structure.damage_observed", True),
        ("Felt the shaking, no damage on site", "structure.damage_observed", False),
        ("The prefect ordered the evacuation of the valley", "authority.evacuation_order", True),
        ("Le maire a décidé le confinement de deux quartiers", "authority.evacuation_order", True),
    ],
)
def test_a_situation_fact_is_read_with_its_words(text: str, path: str, value: Any) -> None:
    assert extract_facts(text)[path] is value
    assert extract_spans(text)[path].lower() in text.lower()


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Le disque n'était pas chiffré", "systems.encrypted"),
        ("The laptop was not encrypted", "systems.encrypted"),
        ("We evacuated the workshop ourselves", "authority.evacuation_order"),
        ("The tanker delivery is due at noon", "vehicle.tanker_involved"),
    ],
)
def test_a_denial_or_a_mention_is_not_the_fact(text: str, path: str) -> None:
    assert path not in extract_facts(text)


@pytest.mark.parametrize(
    ("text", "un", "guide"),
    [
        ("Fuite d'ammoniac en salle des machines", "1005", 125),
        ("chlorine leak at the water works", "1017", 124),
        ("UN 1203 on the road", "1203", 128),
        ("A white cloud of sulphur dioxide", "1079", 125),
        ("Explosion in the ammonium nitrate shed", "1942", 140),
        ("Peroxyde d'hydrogène renversé", "2014", 140),
        ("Hydrogen chloride release", "1050", 125),
    ],
)
def test_a_named_substance_reaches_its_erg_guide(text: str, un: str, guide: int) -> None:
    facts = extract_facts(text)
    assert (facts["substance.un"], facts["substance.erg_guide"]) == (un, guide)
    spans = extract_spans(text)
    assert spans["substance.erg_guide"] == spans["substance.un"]


def test_an_unknown_guide_is_left_unknown() -> None:
    assert "substance.erg_guide" not in extract_facts("UN 9999 drums on the quay")


def test_a_given_un_number_drops_the_guide_read_for_another_substance() -> None:
    event = Event(text="Ammonia smell near the drums", un_number="1830")
    facts, from_text = assemble_facts(event)
    assert facts["substance.un"] == "1830"
    assert "substance.erg_guide" not in facts and "substance.erg_guide" not in from_text


@pytest.mark.parametrize(
    "text",
    [
        "While the road tanker was being unloaded at bay 2 the hose split: sulphur dioxide cloud.",
        "Fuite de chlore en déchargeant le camion citerne au poste 3.",
    ],
)
def test_unloading_at_a_site_is_not_counted_as_transport(text: str, shipped_pack: Any) -> None:
    facts = extract_facts(text)
    assert facts["vehicle.tanker_involved"] is True and "substance.un" in facts
    category = categorise(text, shipped_pack.taxonomy, facts, sops=shipped_pack.sops)
    reasons = " ".join(category.reasons)
    assert "fact vehicle.tanker_involved" not in reasons and "in transport" not in reasons


def test_a_tanker_crash_with_a_named_substance_is_transport(shipped_pack: Any) -> None:
    text = "A road tanker of chlorine overturned on the A7, the driver is trapped."
    facts = extract_facts(text)
    category = categorise(text, shipped_pack.taxonomy, facts, sops=shipped_pack.sops)
    assert category.code == "TRN.hazmat_transport"
