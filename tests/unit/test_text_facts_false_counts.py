"""Words that look like counts and are not: clock times and the French auxiliary "a".

Written before the fix, from sentences of our own (EN and FR). A clock time
("16:06", "à 14h30", "at 3 pm") is when something happened, never how many people;
"a" in "il a évacué" is a verb, not "a (one) person".
"""

import pytest

from agent.rules.text_facts import extract_facts

COUNT_PATHS = (
    "casualties.deaths",
    "casualties.injured",
    "casualties.exposed",
    "casualties.trapped",
    "casualties.hospitalised_onsite",
    "casualties.hospitalised_offsite",
    "evacuation.persons",
)


def _counts(text: str) -> dict[str, object]:
    return {k: v for k, v in extract_facts(text).items() if k in COUNT_PATHS}


@pytest.mark.parametrize(
    "text",
    [
        "16:06 building evacuated on the shift lead's call",
        "Log 09:07 site evacuated, muster at gate 2",
        "à 14h30 personnel évacué vers le point de rassemblement",
        "at 3 pm staff evacuated from the lab",
        "22h personnes confinées dans la salle de contrôle",
        "Vers 7h15 personnel évacué du hangar",
        "around 11 am workers evacuated from hall B",
        "23 h 40 : salariés évacués",
    ],
)
def test_a_clock_time_is_not_a_count(text: str) -> None:
    assert _counts(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Le chef de quart a évacué l'atelier",
        "il y a eu une fuite, l'équipe a été évacuée",
        "le gardien qui a évacué le parking",
        "La directrice a confiné le bâtiment B",
        "L'alarme a retenti, le site a été évacué",
        "Le SDIS a évacué tout le quartier",
    ],
)
def test_the_french_auxiliary_a_is_not_one_person(text: str) -> None:
    counts = _counts(text)
    assert counts.get("evacuation.persons") != 1
    assert counts.get("casualties.injured") != 1


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("At 16:06, 3 workers injured by the blast", "casualties.injured", 3),
        ("à 14h30, deux blessés légers", "casualties.injured", 2),
        ("22h : 40 riverains confinés", "evacuation.persons", 40),
        ("at 3 pm 12 people evacuated", "evacuation.persons", 12),
        ("un ouvrier a été blessé", "casualties.injured", 1),
        ("A worker injured at 10:15", "casualties.injured", 1),
    ],
)
def test_counts_next_to_clock_times_still_read(text: str, path: str, count: int) -> None:
    assert _counts(text).get(path) == count


@pytest.mark.parametrize(
    "text",
    [
        "Depuis 6h la station est à l'arrêt",
        "depuis 14h30, le réseau est coupé",
    ],
)
def test_since_a_clock_time_is_not_an_elapsed_duration(text: str) -> None:
    assert "event.elapsed_minutes" not in extract_facts(text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("la fuite dure depuis 2 heures", 120),
        ("ça fume depuis 2h", None),
        ("Homes have been off for half an hour", 30),
        ("no water for the last hour", 60),
        ("leaking for five hours now", 300),
        ("river traffic stopped for 2 hours", None),
        ("the gate was closed for an hour", None),
        ("le nuage arrive dans 1h", None),
    ],
)
def test_elapsed_is_how_long_it_has_lasted(text: str, minutes: int | None) -> None:
    assert extract_facts(text).get("event.elapsed_minutes") == minutes


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("40 detonators missing from the magazine", "casualties.trapped", None),
        ("3 wagons evacuated from the siding", "evacuation.persons", None),
        ("4 morts et des dizaines de blessés", "casualties.injured", 20),
        ("2 blessés graves évacués vers le CHU", "evacuation.persons", None),
        ("ten runners evacuated to hospital", "evacuation.persons", None),
        ("30 staff evacuated to the car park", "evacuation.persons", 30),
        ("the doors had been open for about seven hours", "event.elapsed_minutes", None),
    ],
)
def test_what_is_counted_is_people_here_and_now(text: str, path: str, count: int | None) -> None:
    """Things counted, casualties driven away and a past period are not these facts."""
    assert extract_facts(text).get(path) == count


@pytest.mark.parametrize(
    "text",
    [
        "We have raw material in stock for 36 hours, the line is still running",
        "The generator has fuel for 8 hours left",
        "Le groupe électrogène a une autonomie de carburant pour 12 heures",
        "Enough water reserves for 2 days at the plant",
    ],
)
def test_a_supply_measured_in_time_is_not_elapsed_time(text: str) -> None:
    assert "event.elapsed_minutes" not in extract_facts(text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("The power has been off for 2 hours and the stock is fine", 120),
        ("Coupure de courant depuis 3 heures, stock de gazole suffisant", 180),
    ],
)
def test_elapsed_time_next_to_a_supply_is_still_read(text: str, minutes: int) -> None:
    assert extract_facts(text)["event.elapsed_minutes"] == minutes
