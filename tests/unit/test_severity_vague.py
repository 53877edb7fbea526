"""Severity from vague quantities and qualitative cues (EN and FR), as a lower bound.

"many killed", "des dizaines de blessés", "hospitals overwhelmed", "almost the whole
country lost power": words with no count that still defend a level. Each sentence goes
through the real text reader, then the pack's scale. ``TestHeldAside`` was written with
the others, before the rules were changed, and is never used to tune them: its pass
count is reported as it stands.
"""

from __future__ import annotations

import pytest

from agent.domain import Event
from agent.pack.models import SEVERITY_LEVELS, SeverityScale
from agent.rules.facts import assemble_facts
from agent.rules.severity import score_severity


def level_of(scale: SeverityScale, text: str) -> str:
    """The severity the scale gives for the facts the pipeline assembles from one sentence."""
    facts, from_text = assemble_facts(Event(text=text))
    return score_severity(scale, facts, from_text).level


def index(level: str) -> int:
    return SEVERITY_LEVELS.index(level)


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        ("Many injured workers are being treated at the muster point.", "S2"),
        ("Windows were broken kilometres away from the blast.", "S2"),
        ("Orders dropped to zero after the ordering site went down.", "S3"),
        ("Plusieurs blessés graves ont été évacués vers le CHU.", "S3"),
        ("Many people were killed in the explosion.", "S4"),
        ("Dozens of people were injured when the stand collapsed.", "S4"),
        ("Hundreds of residents were taken to hospital with breathing difficulties.", "S5"),
        ("Des dizaines de blessés sont pris en charge par le SAMU.", "S4"),
        ("Local hospitals are overwhelmed with casualties from the blast.", "S4"),
        ("Almost the whole country lost power within minutes.", "S5"),
        ("About 150,000 residents have little or no safe running water.", "S5"),
        ("Mobile and internet services failed for millions of customers.", "S5"),
        ("De nombreux morts sont à déplorer après l'explosion.", "S4"),
        ("Funeral services report unusual numbers of deaths from heat stroke.", "S4"),
        ("Many workers were trapped or injured in the blast.", "S2"),
        ("Plusieurs dizaines de personnes ont été hospitalisées.", "S5"),
    ],
)
def test_vague_words_defend_a_floor(scale: SeverityScale, text: str, floor: str) -> None:
    assert index(level_of(scale, text)) >= index(floor)


@pytest.mark.parametrize(
    ("text", "floor"),
    [
        ("Both contractors were taken to hospital after the fall.", "S3"),
        ("About 12,000 residents must boil their tap water until further notice.", "S4"),
        ("Our clerk paid €250,000 to a fraudulent bank account last week.", "S2"),
        ("Quatre camions de livraison incendiés cette nuit sur le parking.", "S2"),
        ("Diesel is leaking from the overturned tanker onto the carriageway.", "S2"),
        ("Power and phone lines are down across large parts of the region.", "S4"),
    ],
)
def test_stated_amounts_and_places_defend_a_floor(
    scale: SeverityScale, text: str, floor: str
) -> None:
    assert index(level_of(scale, text)) >= index(floor)


@pytest.mark.parametrize(
    ("text", "ceiling"),
    [
        ("Nobody was killed and no one was injured.", "S1"),
        ("Aucun blessé, aucun mort, les dégâts sont limités à la clôture.", "S1"),
        ("A national news site has asked us for a comment on the video.", "S2"),
        ("Many people called the hotline to ask about the smell.", "S1"),
        ("Des dizaines de curieux se sont rassemblés devant la grille.", "S1"),
        ("One man trapped in his van was freed by firefighters, he is fine.", "S1"),
    ],
)
def test_vague_words_do_not_overshoot(scale: SeverityScale, text: str, ceiling: str) -> None:
    assert index(level_of(scale, text)) <= index(ceiling)


class TestHeldAside:
    """Written before tuning, never tuned on: failures are marked, reported, not chased.

    4 of 8 pass, as before the rules were changed.
    """

    @pytest.mark.parametrize(
        ("text", "floor"),
        [
            ("Several workers were killed when the tank exploded.", "S4"),
            pytest.param(
                "Des centaines de personnes ont été hospitalisées après avoir bu l'eau du réseau.",
                "S5",
                marks=pytest.mark.xfail(strict=True, reason="held aside: 'des centaines' not read"),
            ),
            pytest.param(
                "Dozens of homes had their windows blown out by the blast.",
                "S2",
                marks=pytest.mark.xfail(
                    strict=True, reason="held aside: homes' windows not off site"
                ),
            ),
            ("Plusieurs blessés graves et un mort après l'effondrement de la passerelle.", "S4"),
            pytest.param(
                "Many were hurt in the crush at the gates, several seriously.",
                "S3",
                marks=pytest.mark.xfail(
                    strict=True, reason="held aside: 'several seriously' not read"
                ),
            ),
            ("Tens of thousands of households are without electricity tonight.", "S4"),
            pytest.param(
                "Orders have fallen to nothing since the ransomware hit.",
                "S3",
                marks=pytest.mark.xfail(strict=True, reason="held aside: 'have fallen' not read"),
            ),
            ("La production est tombée à zéro depuis l'incendie.", "S3"),
        ],
    )
    def test_held_aside(self, scale: SeverityScale, text: str, floor: str) -> None:
        assert index(level_of(scale, text)) >= index(floor)
