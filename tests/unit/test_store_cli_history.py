from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli_history import app
from agent.store.db import dispose_engines

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
runner = CliRunner()


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private store and an archive of two YAML incidents, in tmp_path."""
    history = tmp_path / "history"
    shutil.copytree(FIXTURES / "history_ok", history)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRISISCELL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRISISCELL_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("CRISISCELL_HISTORY_DIR", str(history))
    yield history
    dispose_engines()


def test_load_twice_adds_nothing_the_second_time(store: Path) -> None:
    first = runner.invoke(app, ["load", "--dir", str(store)])
    assert first.exit_code == 0, first.output
    assert "added 2, updated 0, unchanged 0" in first.stdout
    second = runner.invoke(app, ["load"])
    assert second.exit_code == 0, second.output
    assert "added 0, updated 0, unchanged 2" in second.stdout


def test_load_reports_a_changed_incident(store: Path) -> None:
    runner.invoke(app, ["load"])
    path = store / "incidents" / "cyb-2021-ransomware.yaml"
    path.write_text(path.read_text().replace("Two days", "Three days"))
    result = runner.invoke(app, ["load"])
    assert "added 0, updated 1, unchanged 1" in result.stdout


def test_load_of_a_broken_archive_exits_with_config_error() -> None:
    result = runner.invoke(app, ["load", "--dir", str(FIXTURES / "history_bad")])
    assert result.exit_code == 3
    assert result.stderr.startswith("error: 5 error(s) in the incident archive")
    assert "b-missing-and-wrong.yaml:1: resolution: Field required" in result.stderr
    assert "Traceback" not in result.output


def test_list_loads_the_shipped_archive_into_an_empty_store() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    assert [i["id"] for i in json.loads(result.stdout)] == ["CYB-2021-004", "IND-2019-001"]
    table = runner.invoke(app, ["list", "--family", "ind"])
    assert "IND-2019-001" in table.stdout and "CYB-2021-004" not in table.stdout
    text = runner.invoke(app, ["list", "--text", "backups", "--json"])
    assert [i["id"] for i in json.loads(text.stdout)] == ["CYB-2021-004"]


def test_show_prints_actions_in_order() -> None:
    result = runner.invoke(app, ["show", "IND-2019-001"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("1. [T+00:05] (evacuate) Evacuated hall 3") < out.index("3. [T+00:20]")
    assert "Resolution" in out and "Gasket replaced" in out and "No injury" in out
    as_json = json.loads(runner.invoke(app, ["show", "IND-2019-001", "--json"]).stdout)
    assert as_json["actions"][1]["action_type"] == "isolate"


def test_show_unknown_id_reads_like_a_hidden_one() -> None:
    result = runner.invoke(app, ["show", "NOPE", "--clearance", "internal"])
    assert result.exit_code == 7  # NotVisible: a missing id and a hidden one read the same
    assert result.stderr.strip() == "error: incident 'NOPE' is not visible at clearance internal"


IMPORT = [
    "import",
    str(FIXTURES / "small.csv"),
    "--format",
    "csv",
    "--map",
    "id=Ref",
    "--map",
    "title=Name",
    "--map",
    "occurred_at=When",
    "--map",
    "summary=What happened",
    "--map",
    "resolution=What we did",
    "--default",
    "category=IND.toxic_release",
    "--default",
    "severity=S3",
    "--default",
    "outcome=unknown",
]


def test_import_reports_skipped_rows_and_is_idempotent() -> None:
    result = runner.invoke(app, IMPORT)
    assert result.exit_code == 0, result.output
    assert "small.csv: 4 rows read, 2 valid, 2 skipped" in result.stdout
    assert "imported: added 2, updated 0, unchanged 0" in result.stdout
    assert "2 bad row(s) NOT imported" in result.stderr
    assert "row 4 (line 6): summary: Field required" in result.stderr
    again = runner.invoke(app, [*IMPORT, "--json"])
    report = json.loads(again.stdout)
    assert report["added"] == 0 and report["unchanged"] == 2
    assert [e["row"] for e in report["errors"]] == [3, 4]


def test_import_dry_run_writes_nothing() -> None:
    result = runner.invoke(app, [*IMPORT, "--dry-run"])
    assert "dry run: nothing written; 2 incident(s) would be imported" in result.stdout
    listed = runner.invoke(app, ["list", "--json"])
    assert "R-1" not in listed.stdout


def test_import_strict_exits_2_and_imports_nothing() -> None:
    result = runner.invoke(app, [*IMPORT, "--strict"])
    assert result.exit_code == 2
    assert "2 bad row(s); nothing imported (--strict)" in result.stderr
    assert "R-1" not in runner.invoke(app, ["list", "--json"]).stdout


def test_import_mapping_error_exits_4_without_traceback() -> None:
    result = runner.invoke(app, [*IMPORT, "--map", "site=Plant"])
    assert result.exit_code == 4
    assert "no column 'Plant' (for site)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_import_malformed_map_option_exits_2() -> None:
    result = runner.invoke(app, [*IMPORT, "--map", "summary"])
    assert result.exit_code == 2
    assert "--map 'summary': expected FIELD=VALUE" in result.stderr


def test_import_non_utf8_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes("Ref,Name\nR-1,Fuite à l'entrepôt\n".encode("cp1252"))
    args = [a if a != str(FIXTURES / "small.csv") else str(path) for a in IMPORT]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "cp1252.csv is not UTF-8" in result.stderr
