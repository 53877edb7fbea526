"""``suggest --facts path=value``: the operator states or corrects what the text says."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agent.cli import app

runner = CliRunner()
PPI = "Fuite d'ammoniac sur le site. Le préfet a déclenché le PPI, 12 communes sont confinées"


def suggest(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["suggest", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def notification(data: dict[str, object], to: str) -> dict[str, object]:
    notes = data["notifications"]
    assert isinstance(notes, list)
    return next(n for n in notes if n["to"] == to)


def test_a_stated_fact_settles_the_conditions_that_read_it() -> None:
    before = notification(suggest(PPI), "prefecture_cod")
    after_data = suggest(PPI, "--facts", "effects.offsite=true")
    after = notification(after_data, "prefecture_cod")
    assert before["conditional"] is True
    assert after["conditional"] is False and after["mandatory"] is True
    facts = after_data["facts"]
    assert isinstance(facts, dict) and facts["effects.offsite"] is True


def test_a_stated_fact_wins_over_the_text_and_an_empty_one_is_unknown() -> None:
    text = "Ammonia leak near compressor 3, at least two dead"
    data = suggest(text, "--facts", "casualties.deaths=0", "--facts", "substance.un=")
    facts, spans = data["facts"], data["spans"]
    assert isinstance(facts, dict) and isinstance(spans, dict)
    assert facts["casualties.deaths"] == 0 and "casualties.deaths" not in spans
    assert facts["substance.un"] is None


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("casualties.dead=2", "not a fact the pack declares"),
        ("effects.offsite=maybe", "expected true or false"),
        ("casualties.deaths=two", "expected a number"),
        ("transport.mode=bicycle", "expected one of"),
        ("no-equals-sign", "expects path=value"),
    ],
)
def test_a_wrong_fact_is_a_clear_error(item: str, words: str) -> None:
    result = runner.invoke(app, ["suggest", "Ammonia leak", "--facts", item])
    assert result.exit_code == 2
    assert words in result.output


def test_the_briefing_shows_what_the_operator_said() -> None:
    result = runner.invoke(app, ["suggest", PPI, "--facts", "effects.offsite=true"])
    assert result.exit_code == 0, result.output
    assert "Faits donnés  [operator]  effects.offsite = True" in result.output  # a French report


def test_crisis_update_reads_facts_the_same_way() -> None:
    opened = runner.invoke(app, ["crisis", "open", PPI, "--site", "SITE-01", "--id", "CR-F"])
    assert opened.exit_code == 0, opened.output
    wrong = runner.invoke(app, ["crisis", "update", "CR-F", "--facts", "casualties.dead=2"])
    assert wrong.exit_code == 2 and "not a fact the pack declares" in wrong.output
    right = runner.invoke(
        app, ["crisis", "update", "CR-F", "--facts", "casualties.deaths=1", "--json"]
    )
    assert right.exit_code == 0, right.output
    assert json.loads(right.stdout)["suggestion"]["facts"]["casualties.deaths"] == 1
