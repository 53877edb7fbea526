"""The CLI as operators' scripts use it: exit codes, JSON keys, briefing sections."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from tests.conftest import ROOT

runner = CliRunner()
EVENT = "Ammonia leak near compressor 3 at the Rouen plant, 2 injured"


@pytest.fixture(autouse=True)
def _small_pack(pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))


def test_briefing_has_the_ics201_sections() -> None:
    result = runner.invoke(app, ["suggest", EVENT, "--site", "SITE-01"])
    assert result.exit_code == 0, result.output
    for section in (
        "1. SITUATION",
        "2. APPLICABLE SOPs",
        "3. NOTIFICATIONS DUE",
        "4. SCENARIOS",
        "5. SIMILAR PAST INCIDENTS",
    ):
        assert section in result.output
    assert "IND.toxic_release" in result.output and "COMPLIANT" in result.output


def test_json_has_the_documented_keys() -> None:
    result = runner.invoke(app, ["suggest", EVENT, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"code", "confidence"} <= set(data["category"])
    assert {"level", "criteria", "unknowns"} <= set(data["severity"])
    assert isinstance(data["no_precedent"], bool) and isinstance(data["degraded"], bool)
    assert {"id", "version"} <= set(data["sops"][0])
    for p in data["precedents"]:
        assert {"id", "title", "score", "resolution"} <= set(p)
    scenario = data["scenarios"][0]
    assert {"title", "rationale", "steps", "adherence"} <= set(scenario)
    assert {"sop_id", "step_id", "action", "action_type", "owner", "deadline"} <= set(
        scenario["steps"][0]
    )
    assert data["lineage"]["run_id"]


def test_reads_an_event_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "event.yaml"
    path.write_text(
        "text: Fuite d'ammoniac près du compresseur\nsite: SITE-01\n"
        "facts: {casualties: {injured: 3}}\n"
    )
    from_file = runner.invoke(app, ["suggest", "--file", str(path), "--json"])
    assert from_file.exit_code == 0, from_file.output
    assert json.loads(from_file.output)["severity"]["level"] == "S2"
    from_stdin = runner.invoke(app, ["suggest", "-", "--json"], input=EVENT.encode())
    assert from_stdin.exit_code == 0


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["suggest", ""], None),
        (["suggest", "   \n\t "], None),
        (["suggest", "x" * 1_000_001], None),
        (["suggest", "-"], b"\xff\xfe\xfa not utf-8"),
        (["suggest", "-"], b"\x00\x01\x02binary"),
        (["suggest", "Fire in the warehouse", "--site", "Atlantis"], None),
    ],
)
def test_bad_input_is_a_typed_error_with_exit_2(args: list[str], stdin: bytes | None) -> None:
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "Traceback" not in result.output


def test_broken_event_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "event.yaml"
    path.write_text("text: Fire\nfacts: [not, a, mapping]\nun_number: 12\n")
    result = runner.invoke(app, ["suggest", "--file", str(path)])
    assert result.exit_code == 2 and "facts" in result.output and "un_number" in result.output


def test_broken_pack_is_exit_3_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "pack"
    broken.mkdir()
    (broken / "taxonomy.yaml").write_text("kind: taxonomy\nversion: [\n")
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(broken))
    home = tmp_path / "home"
    monkeypatch.setenv("CRISISCELL_HOME", str(home))
    result = runner.invoke(app, ["suggest", EVENT])
    assert result.exit_code == 3 and "taxonomy.yaml" in result.output
    assert not (home / "crisiscell.db").exists()


def test_console_script_runs_end_to_end(pack_dir: Path, tmp_path: Path) -> None:
    env = {
        "CRISISCELL_SOPS_DIR": str(pack_dir),
        "CRISISCELL_HOME": str(tmp_path),
        "PATH": str(Path(sys.executable).parent),
    }
    done = subprocess.run(
        [sys.executable, "-m", "agent", "suggest", EVENT, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["category"]["code"] == "IND.toxic_release"
    empty = subprocess.run(
        [sys.executable, "-m", "agent", "suggest", " "],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert empty.returncode == 2 and "empty" in empty.stderr and "Traceback" not in empty.stderr
