"""Constructions the readers learnt from the dev_c failures (issue 10), EN and FR.

Each sentence was written for this file (none is copied from the corpus): it states one
construction (an RTO beside an outage, people moved back, a count in several number
words, an orange plate read aloud...) and the fact it must give, or must not.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.rules.count_words import parse_number
from agent.rules.text_facts import extract_facts, extract_spans


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("one hundred and twenty", 120),
        ("two thousand three hundred", 2300),
        ("mille deux cents", 1200),
        ("trois mille cinq cents", 3500),
        ("quatre cent douze", 412),
        ("two and three", None),  # two counts, not one
        ("hundreds thousands", None),
    ],
)
def test_counts_in_several_number_words(words: str, value: int | None) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Continuity: the stated objective, and the outage beside it that outlasts it.
        (
            "The booking engine has been offline for seven hours; its RTO is four hours.",
            {"power.rto_hours": 4, "continuity.status": "outage_over_rto"},
        ),
        (
            "La messagerie est hors service depuis 30 heures alors que le RTO est de 8 heures.",
            {"power.rto_hours": 8, "continuity.status": "outage_over_rto"},
        ),
        (
            "Payroll is down for 2 hours now, well within its RTO of 12 hours.",
            {"power.rto_hours": 12, "continuity.status": None},
        ),
        (
            "Les caisses sont bloquées, au-delà de la durée maximale d'interruption fixée.",
            {"continuity.status": "outage_over_rto"},
        ),
        # People moved away from a hazard, counted in the sentence that moves them.
        (
            "We pulled the 25 contractors on the north bay back behind the barrier.",
            {"evacuation.persons": 25},
        ),
        (
            "Le chef d'atelier a fait sortir les 18 opérateurs de la zone.",
            {"evacuation.persons": 18},
        ),
        (
            "Two hundred and forty pupils are sheltering in the gym.",
            {"evacuation.persons": 240},
        ),
        (
            "The mayor ordered the evacuation of the quay. We sent our 75 dockers home.",
            {"evacuation.persons": 75},
        ),
        ("The strike goes on and we sent the 75 dockers home.", {"evacuation.persons": None}),
        # Person-hours: the count times how long, when the sentence says it.
        (
            "Trois mille abonnés sont privés de gaz depuis quatre heures.",
            {"utilities.person_hours_cut": 12000},
        ),
        (
            "The 90 night-shift staff were evacuated yesterday at 8 pm and are still out.",
            {"evacuation.persons": 90, "evacuation.person_hours": 360},
        ),
        (
            "About 600 shoppers were evacuated during the search, which lasted three hours.",
            {"evacuation.persons": 600, "evacuation.person_hours": 1800},
        ),
        (
            "Évacuation de 40 salariés pendant la levée de doute, qui a duré une heure et demie.",
            {"evacuation.person_hours": 60},
        ),
        # Off-site release: a gas cloud of a named product, a slick, a road closed for it.
        (
            "Chlorine leak at the pool plant, a pale cloud drifting towards the houses.",
            {"effects.offsite": True, "effects.offsite_release": True},
        ),
        (
            "Smoke from the burning pallets is going over the ring road.",
            {"effects.offsite": True, "effects.offsite_release": None},
        ),
        (
            "Thick smoke over the motorway, the police have closed the slip road.",
            {"effects.offsite_release": True},
        ),
        (
            "Une nappe de gazole dérive vers la côte depuis le terminal.",
            {"effects.offsite": True, "effects.offsite_release": True},
        ),
        (
            "Orange plate on the tanker reads 33 over 1203, fuel pooling 50 m outside the gate.",
            {"substance.un": "1203", "effects.offsite": True},
        ),
        ("The TV crew is waiting outside the gate.", {"effects.offsite": None}),
        (
            "The warehouses opposite the depot are on fire after the blast.",
            {"effects.offsite": True},
        ),
        # Media: one word between "national" and the medium; an interview for the news.
        ("The recall is on the national evening news.", {"media.attention": "national"}),
        (
            "Les télévisions d'information nationales sont sur place.",
            {"media.attention": "national"},
        ),
        (
            "A national radio station has asked for an interview for its morning show.",
            {"media.attention": "national"},
        ),
        ("A national newspaper asked us for a comment.", {"media.attention": None}),
        # Cyber, telecoms, customers.
        ("Les pirates exigent une rançon en bitcoins.", {"ransom.demand": True}),
        (
            "Screens are locked with a note asking us to pay in bitcoin, 12 PCs affected.",
            {"systems.encrypted": True, "systems.hosts_affected": 12},
        ),
        (
            "The domain admin account signed in from an unusual location at 3 am.",
            {"identity.privileged_compromised": True},
        ),
        ("Aucun téléphone fixe ne fonctionne au siège.", {"telecom.lost": True}),
        (
            "Shoppers are queuing at the tills, card payments fail.",
            {"service.customer_impact": True},
        ),
        ("Les stations-service de la ville sont à sec.", {"service.customer_impact": True}),
        (
            "A wire of 95,000 euros was already executed to the fraudster.",
            {"damage.onsite_eur": 95000},
        ),
        # Absence in other orders; cases complaining of symptoms.
        ("Sickness absence in the depot reached 28 % on Monday.", {"staff.absent_pct": 28}),
        ("Neuf absents ce matin au quai, la moitié de l'équipe.", {"staff.absent_pct": 50}),
        ("Une vingtaine d'élèves se plaignent de nausées après le repas.", {"health.cases": 20}),
        (
            "Petrol stations along the coast are starting to see queues.",
            {"service.customer_impact": True},
        ),
        # Measures, transport, theft, authorities.
        ("Felt strongly here, USGS gives mag 4.8.", {"earthquake.magnitude": 4.8}),
        ("Amber warning, 38C forecast for Sunday.", {"temperature.max_c": 38.0}),
        (
            "Vingt pour cent de l'effectif est absent à cause de la grippe.",
            {"staff.absent_pct": 20},
        ),
        ("The freight train came off the rails near the yard.", {"transport.mode": "rail"}),
        ("Le vraquier a pris feu au large.", {"transport.mode": "maritime"}),
        ("Il manque trois armes dans le coffre de l'armurerie.", {"theft.dangerous_goods": True}),
        (
            "Prosecutors have opened an investigation into the emissions data.",
            {"legal.authority_inquiry": True},
        ),
        # Casualties and denials.
        ("The welder was taken to hospital; nobody else was injured.", {"casualties.injured": 0}),
        ("Aucun salarié blessé, les dégâts sont matériels.", {"casualties.injured": 0}),
        ("Nobody was exposed to the vapour.", {"casualties.exposed": 0}),
        ("Un individu a blessé légèrement trois vigiles avant de fuir.", {"casualties.injured": 3}),
        ("The driver is still trapped in his cab.", {"casualties.trapped": 1}),
        # Water, leaks, fire.
        ("No water has entered the building so far.", {"flood.water_on_site": False}),
        ("L'eau est entrée dans la chaufferie cette nuit.", {"flood.water_on_site": True}),
        ("La fuite n'est pas encore localisée par l'équipe.", {"leak.isolated": False}),
        (
            "The utility issued a boil-water advisory for the valley.",
            {"water.potability_lost": True},
        ),
        ("The sprinkler main split in the cold.", {"water.supply_lost": None}),
        ("Trois cuves sont maintenant en flammes.", {"fire.tank_involved": True}),
    ],
)
def test_constructions(text: str, expected: dict[str, Any]) -> None:
    facts = extract_facts(text)
    for path, value in expected.items():
        assert facts.get(path) == value, (path, facts)


def test_outage_over_rto_quotes_both_the_outage_and_the_objective() -> None:
    spans = extract_spans("The ERP has been down for nine hours; our RTO is six hours.")
    assert spans["continuity.status"] == "down for nine hours; our RTO is six hours"
