from pathlib import Path

import pytest

from agent.errors import ConfigError
from agent.rules.text_facts import cues, extract_facts, extract_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ammonia leak, 2 injured, 150 staff evacuated",
            {
                "casualties.injured": 2,
                "evacuation.persons": 150,
                "substance.un": "1005",
                "substance.erg_guide": 125,
            },
        ),
        (
            "Fuite d'ammoniac : deux blessés, un mort",
            {
                "casualties.injured": 2,
                "casualties.deaths": 1,
                "substance.un": "1005",
                "substance.erg_guide": 125,
            },
        ),
        (
            "Citerne UN 1017 renversée, 40 riverains confinés",
            {"substance.un": "1017", "substance.erg_guide": 124, "evacuation.persons": 40},
        ),
        (
            "12,000 homes without power after the storm",
            {"utilities.customers_affected": 12000, "power.grid_lost": True},
        ),
        ("3 personnes hospitalisées", {"casualties.hospitalised_onsite": 3}),
        ("Server room flooded", {}),
    ],
)
def test_extracts_counts_and_substances(text: str, expected: dict[str, object]) -> None:
    assert extract_facts(text) == expected


def test_takes_the_largest_count_stated() -> None:
    assert extract_facts("2 injured at first, now 5 injured")["casualties.injured"] == 5


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("compressor 3, 2 injured", 2),
        ("1 200 people evacuated", 1200),
        ("12.000 personnes évacuées", 12000),
    ],
)
def test_numbers_next_to_other_numbers(text: str, count: int) -> None:
    facts = extract_facts(text)
    assert count in facts.values()


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("one operator has died", "casualties.deaths", 1),
        ("deux opérateurs sont blessés", "casualties.injured", 2),
        ("3 staff were evacuated", "evacuation.persons", 3),
    ],
)
def test_a_few_words_between_count_and_verb(text: str, path: str, count: int) -> None:
    assert extract_facts(text)[path] == count


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("the blast killed 31 people", "casualties.deaths", 31),
        ("an explosion tuant au moins 3 personnes", "casualties.deaths", 3),
        ("injuring more than 2,500", "casualties.injured", 2500),
        ("authorities evacuated 1,200 residents", "evacuation.persons", 1200),
    ],
)
def test_verb_before_count(text: str, path: str, count: int) -> None:
    assert extract_facts(text)[path] == count


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("several people killed in the blast", "casualties.deaths", 2),
        ("des centaines de blessés", "casualties.injured", 200),
        ("thousands of residents evacuated", "evacuation.persons", 2000),
    ],
)
def test_vague_quantities_are_lower_bounds(text: str, path: str, count: int) -> None:
    assert extract_facts(text)[path] == count


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("twenty-three casualties at the triage point", "casualties.injured", 23),
        ("quatre-vingt-dix-sept personnes évacuées", "evacuation.persons", 97),
        ("trois cents personnes évacuées", "evacuation.persons", 300),
        ("two thousand residents evacuated", "evacuation.persons", 2000),
        ("une quinzaine de personnes incommodées", "casualties.exposed", 15),
        ("nine cases, two of them fatal", "casualties.deaths", 2),
    ],
)
def test_counts_in_words_up_to_thousands(text: str, path: str, count: int) -> None:
    assert extract_facts(text)[path] == count


@pytest.mark.parametrize(
    "text", ["No one hurt, 3 staff evacuated", "aucun blessé", "nobody was injured"]
)
def test_negated_casualties_read_as_zero(text: str) -> None:
    assert extract_facts(text)["casualties.injured"] == 0


def test_a_count_wins_over_a_qualitative_cue() -> None:
    assert extract_facts("many injured, 7 injured so far")["casualties.injured"] == 7


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("Many injured workers after the blast", "casualties.injured", 2),
        ("plusieurs blessés graves", "casualties.hospitalised_onsite", 1),
        ("a passenger was taken to hospital", "casualties.hospitalised_offsite", 1),
        ("le préfet a déclenché le PPI", "ppi.triggered", True),
        ("diesel running into the river", "environment.impact", "offsite"),
        ("the overflow is held in the bund", "environment.impact", "contained"),
        ("orders dropped to zero this morning", "continuity.status", "outage_over_rto"),
        ("production stopped on line 2", "continuity.status", "degraded"),
        ("regional TV is at the gate", "media.attention", "regional"),
    ],
)
def test_qualitative_cues_give_a_lower_bound(text: str, path: str, value: object) -> None:
    assert extract_facts(text)[path] == value


def test_a_district_without_power_is_a_utility_cut_of_unknown_size() -> None:
    assert extract_facts("the district is without power")["utilities.person_hours_cut"] == 1


@pytest.mark.parametrize(
    ("text", "path", "minutes"),
    [
        ("gas smell since 20 minutes", "event.elapsed_minutes", 20),
        ("fuite depuis deux heures", "event.elapsed_minutes", 120),
        ("alarm went off 10 min ago", "event.elapsed_minutes", 10),
        ("the fire should reach the fence within three hours", "hazard.eta_minutes", 180),
        ("la crue devrait atteindre le site dans 1h", "hazard.eta_minutes", 60),
    ],
)
def test_durations_and_times(text: str, path: str, minutes: int) -> None:
    assert extract_facts(text)[path] == minutes


def test_a_delivery_eta_is_not_a_hazard_eta() -> None:
    assert "hazard.eta_minutes" not in extract_facts("the diesel truck is due in 2 hours")


def test_a_broken_cue_file_is_a_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "cues.yaml"
    broken.write_text("- fact: casualties.injured\n  value: 2\n  patterns: ['(unclosed']\n")
    with pytest.raises(ConfigError, match="severity cues"):
        cues(broken)


def test_each_fact_keeps_the_words_it_came_from() -> None:
    text = (
        "Explosion at the shed: many injured workers and at least two dead, fire since 20 minutes."
    )
    assert extract_spans(text) == {
        "casualties.injured": "many injured",
        "casualties.deaths": "at least two dead",
        "event.elapsed_minutes": "since 20 minutes",
    }


def test_spans_are_quoted_from_the_original_text() -> None:
    spans = extract_spans("Le préfet a déclenché le PPI, aucun blessé")
    assert spans == {"ppi.triggered": "déclenché le PPI", "casualties.injured": "aucun blessé"}
