import pytest

from agent.rules.text_facts import extract_facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ammonia leak, 2 injured, 150 staff evacuated",
            {"casualties.injured": 2, "evacuation.persons": 150, "substance.un": "1005"},
        ),
        (
            "Fuite d'ammoniac : deux blessés, un mort",
            {"casualties.injured": 2, "casualties.deaths": 1, "substance.un": "1005"},
        ),
        (
            "Citerne UN 1017 renversée, 40 riverains confinés",
            {"substance.un": "1017", "evacuation.persons": 40},
        ),
        ("12,000 homes without power after the storm", {"utilities.customers_affected": 12000}),
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
