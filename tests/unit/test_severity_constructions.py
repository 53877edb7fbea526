"""Severity floors the dev_c constructions defend (issue 10), read from one sentence each.

Written for this file, not copied from the corpus. Each level is a lower bound: the
facts the sentence states, through the real text reader and the pack's scale.
"""

from __future__ import annotations

import pytest

from agent.domain import Event
from agent.pack.models import SeverityScale
from agent.rules.facts import assemble_facts
from agent.rules.severity import score_severity


def level_of(scale: SeverityScale, text: str) -> str:
    facts, from_text = assemble_facts(Event(text=text))
    return score_severity(scale, facts, from_text).level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A gas cloud of a named product leaving the site: environment off site.
        ("Ammonia leak in the cold store, a white cloud is drifting towards the estate.", "S3"),
        # Smoke over a road with nothing else: off-site effects, the lowest floor.
        ("Smoke from the skip fire is blowing across the road.", "S2"),
        # ... and the police closing it for the smoke: a measure beyond the fence.
        ("Smoke from the skip fire is over the motorway and police closed the slip road.", "S3"),
        # Outage beyond the stated RTO.
        ("Ticketing has been down for six hours; its RTO is three hours.", "S3"),
        # Person-hours: 5,000 households for three hours is 15,000 person-hours.
        ("Cinq mille foyers sont privés d'électricité depuis trois heures.", "S4"),
        # People moved back from a hazard: an on-site evacuation.
        ("We moved the 40 people in the loading bay back to the car park.", "S2"),
        # National coverage with one word between.
        ("The story leads the national financial press this morning.", "S4"),
        # A fifth of the staff absent: continuity degraded.
        ("Un quart de l'effectif absent, 25 pour cent des agents sont malades.", "S2"),
        # A privileged account used from abroad.
        ("The global admin account signed in from a foreign country overnight.", "S2"),
    ],
)
def test_floor(scale: SeverityScale, text: str, level: str) -> None:
    assert level_of(scale, text) == level
