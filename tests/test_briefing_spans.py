"""The briefing and ``suggest --json`` quote the words behind each fact and criterion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app

runner = CliRunner()
EVENT = "Ammonia leak near compressor 3, at least two dead and 150 staff evacuated"


@pytest.fixture(autouse=True)
def _small_pack(pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))


def test_json_carries_the_facts_and_their_spans() -> None:
    result = runner.invoke(app, ["suggest", EVENT, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["facts"]["casualties.deaths"] == 2
    assert data["spans"]["casualties.deaths"] == "at least two dead"
    assert data["spans"]["evacuation.persons"] == "150 staff evacuated"
    deaths = [c for c in data["severity"]["criteria"] if c["value"] == 2]
    assert deaths and all(c["spans"] == ["at least two dead"] for c in deaths)


def test_briefing_quotes_the_words_behind_facts_and_criteria() -> None:
    result = runner.invoke(app, ["suggest", EVENT])
    assert result.exit_code == 0, result.output
    assert "Facts read from the text" in result.output
    assert "casualties.deaths = 2  from text: 'at least two dead'" in result.output
    fired = [line for line in result.output.splitlines() if "-> S" in line and "(text)" in line]
    assert any("from text: 'at least two dead'" in line for line in fired)


def test_a_report_with_no_fact_read_has_no_quote() -> None:
    result = runner.invoke(app, ["suggest", "Smoke seen near the gate", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spans"] == {}
    assert all(c["spans"] == [] for c in data["severity"]["criteria"])
