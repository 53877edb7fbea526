"""Who was evacuated, hurt, exposed or missing, when the report does not put the count
next to the verb (own sentences, EN and FR; written with the readers, after the dev
misreadings they fix)."""

import pytest

from agent.rules.text_facts import extract_facts, extract_spans


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Évacuation des 45 salariés vers le point de rassemblement", 45),
        ("Hall cleared to the assembly point, 60 workers accounted for", 60),
        ("le maire a décidé le confinement du quartier, soit environ 2 000 habitants", 2000),
        ("we evacuated the 12 people on shift and the 3 drivers to the car park", 12),
        ("on évacue les 20 salariés et les trois chauffeurs", 23),
        ("4 blessés évacués vers le CHU, l'atelier est fermé", None),
    ],
)
def test_evacuation_count_in_the_sentence(text: str, count: int | None) -> None:
    assert extract_facts(text).get("evacuation.persons") == count


def test_the_evacuation_count_is_quoted() -> None:
    text = "Évacuation des 45 salariés vers le point de rassemblement"
    assert extract_spans(text)["evacuation.persons"] == "45 salariés"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("Bus overturned, passengers hurt: 6 people have been taken to hospital", "offsite"),
        ("Mouvement de foule au concert, 5 personnes transportées à l'hôpital", "offsite"),
        ("Two workers burned, 2 operators taken to hospital", "onsite"),
    ],
)
def test_hospitalised_public_or_staff(text: str, path: str) -> None:
    facts = extract_facts(text)
    assert f"casualties.hospitalised_{path}" in facts, facts


@pytest.mark.parametrize(
    ("text", "path", "count"),
    [
        ("3 operators coughing after the release", "casualties.exposed", 3),
        ("deux agents ont été incommodés par les vapeurs", "casualties.exposed", 2),
        ("2 personnes portées disparues sous les décombres", "casualties.trapped", 2),
        ("5 people still trapped in the lift", "casualties.trapped", 5),
        ("about 200 m of track buried under mud", "casualties.trapped", None),
        ("the medical post has treated 30 people", "casualties.injured", 30),
        ("4 with minor burns", "casualties.injured", 4),
        ("12 cas de gastro-entérite chez les salariés", "health.cases", 12),
        ("one positive test in the canteen", "health.cases", None),
    ],
)
def test_people_counts_in_other_words(text: str, path: str, count: int | None) -> None:
    assert extract_facts(text).get(path) == count


@pytest.mark.parametrize(
    "text",
    [
        "Personne n'a été blessé",
        "Chauffeur indemne, citerne intacte",
        "Crew all safe, boat sinking",
    ],
)
def test_nobody_hurt_said_otherwise(text: str) -> None:
    assert extract_facts(text).get("casualties.injured") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bilan : 2 morts, 5 blessés graves et 12 légers", {"casualties.deaths": 2}),
        ("three firefighters slightly hurt", {"casualties.injured": 3}),
        ("on a 4 gars intoxiqués à l'infirmerie", {"casualties.exposed": 4}),
        ("plus de 300 élèves confinés dans le gymnase", {"evacuation.persons": 300}),
        ("approx 1,500 residents evacuated overnight", {"evacuation.persons": 1500}),
        ("une dizaine de personnes incommodées par les fumées", {"casualties.exposed": 10}),
        ("2 ppl trapped in lift 3", {"casualties.trapped": 2}),
        ("crew of 12 evacuated to the muster station", {"evacuation.persons": 12}),
        ("Vers 16h, un agent a été blessé", {"casualties.injured": 1}),
        ("il y a 2 heures, la fuite a commencé", {"event.elapsed_minutes": 120}),
        ("15h45 : 3 personnes prises en charge par le SAMU", {}),
        ("since 10:30 the line is down", {}),
        ("leaking since 20 mins", {"event.elapsed_minutes": 20}),
        ("at 2pm 6 staff evacuated", {"evacuation.persons": 6}),
        ("Staff of 250 evacuated at 11:05", {"evacuation.persons": 250}),
        (
            "Un mort et deux blessés dans l'explosion",
            {"casualties.deaths": 1, "casualties.injured": 2},
        ),
        ("the incident at 3:45 pm left 7 workers injured", {"casualties.injured": 7}),
        ("L'explosion a fait 3 blessés", {"casualties.injured": 3}),
        ("the blast injured a contractor", {"casualties.injured": 1}),
        ("a fait évacuer 200 personnes", {"evacuation.persons": 200}),
    ],
)
def test_counts_in_fresh_wordings(text: str, expected: dict[str, object]) -> None:
    """Written after tuning; an empty expectation means no people count at all."""
    facts = extract_facts(text)
    people = {k: v for k, v in facts.items() if k.startswith(("casualties.", "evacuation."))}
    if not expected:
        assert people == {}
    for path, value in expected.items():
        assert facts.get(path) == value, (path, facts)
