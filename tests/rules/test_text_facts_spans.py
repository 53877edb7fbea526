"""Each fact read from the text keeps the words it came from, and so does each criterion."""

from __future__ import annotations

import pytest

from agent.domain import Criterion, Severity
from agent.pack.models import SeverityScale
from agent.rules.evidence import cite_criteria, fact_spans
from agent.rules.text_facts import extract_spans


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("many injured workers and at least two dead", "casualties.deaths", "at least two dead"),
        ("Au moins 4 blessés légers", "casualties.injured", "Au moins 4 blessés"),
        ("killing at least 31 people", "casualties.deaths", "killing at least 31"),
        ("plus de 200 personnes évacuées", "evacuation.persons", "plus de 200 personnes évacuées"),
        ("some 3 dead", "casualties.deaths", "some 3 dead"),
    ],
)
def test_a_count_is_quoted_with_its_qualifier(text: str, path: str, words: str) -> None:
    assert extract_spans(text)[path] == words


def test_a_qualifier_is_a_whole_word() -> None:
    assert extract_spans("xsome 3 dead") == {"casualties.deaths": "3 dead"}


def test_only_facts_read_from_text_are_quoted() -> None:
    text = "2 injured, 150 staff evacuated"
    spans = fact_spans(text, {"evacuation.persons", "evacuation.person_hours"})
    assert spans == {
        "evacuation.persons": "150 staff evacuated",
        "evacuation.person_hours": "150 staff evacuated",  # derived: cites its source
    }


def _criterion(dimension: str, label: str, value: object) -> Criterion:
    return Criterion(dimension=dimension, label=label, value=value, level="S3", source="text")


def test_each_fired_criterion_cites_the_words_that_fired_it(scale: SeverityScale) -> None:
    deaths = next(d for d in scale.dimensions if d.fact == "casualties.deaths")
    severity = Severity(
        level="S4",
        criteria=[
            _criterion(deaths.id, deaths.label, 2),
            _criterion("seveso_death", "a death", "casualties.deaths gte 1"),
            _criterion("SOP-X:escalation", "evacuation.persons gte 100", True),
            _criterion("held", "held at S4", "rules now give S3"),
        ],
    )
    spans = {"casualties.deaths": "at least two dead", "evacuation.persons": "150 evacuated"}
    cited = cite_criteria(severity, scale, spans)
    assert [c.spans for c in cited.criteria] == [
        ["at least two dead"],
        ["at least two dead"],
        ["150 evacuated"],
        [],
    ]


def test_a_path_is_not_cited_for_a_longer_path_it_begins(scale: SeverityScale) -> None:
    severity = Severity(level="S2", criteria=[_criterion("f", "casualties.deaths_x gte 1", 1)])
    cited = cite_criteria(severity, scale, {"casualties.deaths": "two dead"})
    assert cited.criteria[0].spans == []
