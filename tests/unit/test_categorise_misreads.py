"""The offline categoriser on the misreads of issue 10, and on who a verb applies to."""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Category, Event
from agent.rules.categorise import categorise
from agent.rules.facts import assemble_facts


def run(pack: Any, text: str) -> Category:
    facts = assemble_facts(Event(text=text), pack.sites)[0]
    return categorise(text, pack.taxonomy, facts)


def test_explosion_with_casualties_and_fire_is_an_explosion(shipped_pack: Any) -> None:
    c = run(
        shipped_pack,
        "A violent explosion destroyed the ammonium nitrate storage shed at 10:17. There are "
        "many injured workers and at least two dead; a fire is burning in the bagging unit.",
    )
    assert c.code == "IND.explosion"
    assert "IND.fire" in c.secondary


def test_wildfire_approaching_is_a_wildfire(shipped_pack: Any) -> None:
    c = run(
        shipped_pack,
        "A wildfire is burning 2 km west of the site perimeter, pushed by a strong westerly "
        "wind. The fire service expects it to reach the fence within three hours.",
    )
    assert c.code == "NAT.wildfire"
    assert "HLT.occupational_injury" not in [c.code, *c.secondary]


def test_earthquake_with_cracked_bund_and_gas_alarm(shipped_pack: Any) -> None:
    c = run(
        shipped_pack,
        "A magnitude 6.1 earthquake was felt on site at 03:12. Operators report cracks in the "
        "retention bund of tank 4 and product seeping into the gravel; a gas detector went off "
        "in the compressor house.",
    )
    assert c.code == "NAT.earthquake"
    assert {"IND.liquid_spill", "IND.toxic_release"} <= set(c.secondary)


def test_chlorine_leak_at_a_water_works_is_a_toxic_release(shipped_pack: Any) -> None:
    c = run(
        shipped_pack,
        "Fuite de chlore sur la station de traitement d'eau potable : deux agents incommodés, "
        "un nuage verdâtre dérive vers la route.",
    )
    assert c.code == "IND.toxic_release"


def test_workers_collapsed_in_a_cloud_are_casualties_not_a_structure(shipped_pack: Any) -> None:
    c = run(shipped_pack, "Two workers collapsed, the cloud is drifting off site.")
    assert c.code == "IND.toxic_release"
    assert "HLT.occupational_injury" in c.secondary
    assert "IND.structural_collapse" not in [c.code, *c.secondary]
    assert any("read as HLT.occupational_injury" in r for r in c.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "The roof of the packaging hall collapsed this morning, nobody inside.",
        "Le toit du hangar s'est effondré sous le poids de la neige, personne dessous.",
        "Racking collapse in aisle 14, three runs down.",
    ],
)
def test_structures_that_collapse_are_structural_collapses(shipped_pack: Any, text: str) -> None:
    assert run(shipped_pack, text).code == "IND.structural_collapse"


@pytest.mark.parametrize(
    "text",
    [
        "A worker collapsed at his workstation on line 2; colleagues started CPR.",
        "Un salarié s'est effondré sur son poste de travail, massage cardiaque en cours.",
    ],
)
def test_people_who_collapse_are_casualties(shipped_pack: Any, text: str) -> None:
    c = run(shipped_pack, text)
    assert c.code == "HLT.occupational_injury"
    assert "IND.structural_collapse" not in c.secondary


def test_a_negated_hazard_does_not_count(shipped_pack: Any) -> None:
    c = run(
        shipped_pack,
        "Fire brigade at the substation: no fire, a flashover in a cable box. "
        "About 4,000 homes have been without power for half an hour.",
    )
    assert c.code == "INF.power_outage"
    assert "IND.fire" not in c.secondary


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The vehicle in trouble decides over what it hit (sentences written for this test).
        (
            "A light aircraft has come down on the roof of our canteen, the roof caved in.",
            "TRN.air",
        ),
        (
            "Un train de fret a déraillé devant l'entrepôt, le mur du quai s'est effondré.",
            "TRN.rail",
        ),
    ],
)
def test_the_vehicle_in_trouble_decides(shipped_pack: Any, text: str, code: str) -> None:
    assert run(shipped_pack, text).code == code


def test_what_overflows_decides(shipped_pack: Any) -> None:
    """A tank overflowing is a spill; a stream overflowing is a flood."""
    spill = run(shipped_pack, "About 800 litres of caustic soda overflowed from the dosing tank.")
    assert spill.code == "IND.liquid_spill"
    flood = run(shipped_pack, "The brook overflowed in the night and the yard is under water.")
    assert flood.code == "NAT.flood"


def test_youths_setting_fire_to_vehicles_is_unrest(shipped_pack: Any) -> None:
    c = run(
        shipped_pack, "Des bandes de jeunes ont incendié trois camions sur le parking du dépôt."
    )
    assert c.code == "SEC.civil_unrest"
