"""Cascades as secondary codes, stated causes, and French reports."""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Category, Event
from agent.rules import cascades
from agent.rules.categorise import categorise
from agent.rules.facts import assemble_facts


def run(pack: Any, text: str) -> Category:
    facts = assemble_facts(Event(text=text), pack.sites)[0]
    return categorise(text, pack.taxonomy, facts)


@pytest.mark.parametrize(
    ("text", "primary", "secondary"),
    [
        (
            "River flood: water in the main switchboard room, the site has lost power.",
            "NAT.flood",
            "INF.power_outage",
        ),
        (
            "Storm overnight, gusts of 130 km/h, lines down and the whole site without "
            "electricity.",
            "NAT.storm_wind",
            "INF.power_outage",
        ),
        (
            "Violent explosion at the dryer, fire now burning in the packing hall.",
            "IND.explosion",
            "IND.fire",
        ),
        (
            "Earthquake of magnitude 5.4 felt at 02:10; the bund of tank 3 is cracked and diesel "
            "is spilling into the drains.",
            "NAT.earthquake",
            "IND.liquid_spill",
        ),
        (
            "Séisme ressenti à 4h, une partie de la toiture du hangar s'est effondrée.",
            "NAT.earthquake",
            "IND.structural_collapse",
        ),
    ],
)
def test_cascades_stated_in_the_text_become_secondary(
    shipped_pack: Any, text: str, primary: str, secondary: str
) -> None:
    c = run(shipped_pack, text)
    assert c.code == primary
    assert secondary in c.secondary
    assert any(r.startswith(f"cascade {primary} -> {secondary}") for r in c.reasons)


def test_a_consequence_is_never_inferred(shipped_pack: Any) -> None:
    c = run(shipped_pack, "River flood: Vigicrues red warning, water on the car park.")
    assert c.code == "NAT.flood"
    assert "INF.power_outage" not in c.secondary


def test_a_stated_cause_is_secondary_when_the_report_is_about_the_consequence(
    shipped_pack: Any,
) -> None:
    c = run(
        shipped_pack,
        "Still no power at the depot, 12 hours since the storm took the line down; generator "
        "fuel for 6 more hours.",
    )
    assert c.code == "INF.power_outage"
    assert "NAT.storm_wind" in c.secondary
    assert "stated cause NAT.storm_wind -> INF.power_outage" in c.reasons


@pytest.mark.parametrize(
    ("text", "primary"),
    [
        (
            "Fuite d'ammoniac dans la salle des machines, 3 salariés incommodés, nuage vers la "
            "clôture.",
            "IND.toxic_release",
        ),
        (
            "Incendie en cours dans l'entrepôt de pneus, panache de fumée noire vers l'autoroute.",
            "IND.fire",
        ),
        (
            "Crue de la Seine : vigilance rouge, l'eau arrive au pied du transformateur.",
            "NAT.flood",
        ),
        (
            "Feu de forêt à 3 km du dépôt, le front avance vers nous poussé par le mistral.",
            "NAT.wildfire",
        ),
        (
            "Un camion-citerne de propane s'est couché sur la rocade, périmètre de 200 m.",
            "TRN.hazmat_transport",
        ),
        (
            "Coupure de courant sur tout le quartier depuis 14h, le groupe électrogène n'a pas "
            "démarré.",
            "INF.power_outage",
        ),
        (
            "Rançongiciel : tous les serveurs sont chiffrés, demande de rançon en bitcoins.",
            "CYB.ransomware",
        ),
        (
            "Alerte à la bombe : appel anonyme à l'accueil, évacuation du bâtiment A.",
            "SEC.bomb_threat",
        ),
    ],
)
def test_french_events(shipped_pack: Any, text: str, primary: str) -> None:
    assert run(shipped_pack, text).code == primary


def test_cascade_table_only_names_codes_of_the_taxonomy(shipped_pack: Any) -> None:
    codes = set(shipped_pack.taxonomy.codes())
    for cause, effects in cascades.CASCADES.items():
        assert cause in codes
        assert set(effects) <= codes, cause
        assert cause not in effects
