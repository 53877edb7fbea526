"""The committed JSON Schemas equal freshly generated ones, so CI fails when they are stale.

Regenerate with ``crisiscell sops schema`` after changing a pack model or Incident.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli_sops import app
from agent.domain import Incident
from agent.pack.models import Sop
from agent.pack.schema import PACK_SCHEMAS, render_schema, write_schemas
from agent.schemas import (
    INCIDENT_SCHEMA,
    check_schemas,
    expected_schemas,
    write_incident_schema,
)
from agent.settings import PROJECT_ROOT

SOPS = PROJECT_ROOT / "sops"
HISTORY = PROJECT_ROOT / "history"


@pytest.mark.parametrize("name", sorted(PACK_SCHEMAS))
def test_committed_pack_schema_is_fresh(name: str) -> None:
    path = SOPS / name
    assert path.is_file(), f"{path} is missing: run `crisiscell sops schema`"
    assert path.read_text(encoding="utf-8") == render_schema(PACK_SCHEMAS[name]), (
        f"{path} is stale: run `crisiscell sops schema`"
    )


def test_committed_incident_schema_is_fresh() -> None:
    path = HISTORY / INCIDENT_SCHEMA
    assert path.is_file(), f"{path} is missing: run `crisiscell sops schema`"
    assert path.read_text(encoding="utf-8") == render_schema(Incident), (
        f"{path} is stale: run `crisiscell sops schema`"
    )


def test_check_schemas_finds_nothing_stale_in_the_repo() -> None:
    assert check_schemas(SOPS, HISTORY) == []


def test_rendering_is_stable_and_uses_aliases() -> None:
    text = render_schema(Sop)
    assert text == render_schema(Sop)
    assert text.endswith("}\n")
    schema = json.loads(text)
    assert schema["additionalProperties"] is False
    condition = schema["$defs"]["Condition"]["properties"]
    assert {"for", "not"} <= set(condition)
    assert "for_" not in condition
    assert "if" in schema["$defs"]["Escalation"]["properties"]


def test_write_then_check(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "sops")
    assert sorted(p.name for p in written) == sorted(PACK_SCHEMAS)
    incident = write_incident_schema(tmp_path / "history")
    assert incident.name == INCIDENT_SCHEMA
    assert check_schemas(tmp_path / "sops", tmp_path / "history") == []
    (tmp_path / "sops" / "sop.schema.json").write_text("{}\n", encoding="utf-8")
    incident.unlink()
    assert check_schemas(tmp_path / "sops", tmp_path / "history") == [
        tmp_path / "sops" / "sop.schema.json",
        incident,
    ]


def test_expected_schemas_without_history(tmp_path: Path) -> None:
    assert len(expected_schemas(tmp_path)) == len(PACK_SCHEMAS)


def test_cli_schema_write_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(tmp_path / "sops"))
    monkeypatch.setenv("CRISISCELL_HISTORY_DIR", str(tmp_path / "history"))
    runner = CliRunner()
    stale = runner.invoke(app, ["schema", "--check"])
    assert stale.exit_code == 1
    assert stale.output.count(f"stale: {tmp_path}") == len(PACK_SCHEMAS) + 1
    written = runner.invoke(app, ["schema"])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "history" / INCIDENT_SCHEMA).is_file()
    fresh = runner.invoke(app, ["schema", "--check"])
    assert fresh.exit_code == 0
    assert fresh.output == "ok: schemas are fresh\n"


def test_suggestion_schema_is_fresh() -> None:
    from agent.schemas import check_suggestion_schema

    assert check_suggestion_schema(), (
        "docs/suggestion.schema.json is stale: run `crisiscell sops schema`"
    )
