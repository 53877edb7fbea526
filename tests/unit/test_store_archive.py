from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agent.errors import ConfigError
from agent.store.archive import ensure_archive, line_of, load_history, read_history_dir
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository, UpsertResult

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = make_engine("sqlite://")
    init_db(engine)
    yield engine
    engine.dispose()


def test_reads_every_yaml_incident() -> None:
    incidents = read_history_dir(FIXTURES / "history_ok")
    assert sorted(i.id for i in incidents) == ["CYB-2021-004", "IND-2019-001"]
    leak = next(i for i in incidents if i.id == "IND-2019-001")
    assert [a.action_type for a in leak.actions] == ["evacuate", "isolate", "notify"]


def test_broken_archive_lists_every_bad_file_with_its_line() -> None:
    with pytest.raises(ConfigError) as caught:
        read_history_dir(FIXTURES / "history_bad")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("5 error(s) in the incident archive")
    findings = [re.sub(r"^.*?/incidents/", "", line) for line in lines[1:]]
    assert findings[0] == (
        "b-missing-and-wrong.yaml:5: severity: Input should be 'S1', 'S2', 'S3', 'S4' or 'S5'"
    )
    assert findings[1].startswith("b-missing-and-wrong.yaml:11: actions.1.action_type: ")
    assert findings[2] == "b-missing-and-wrong.yaml:1: resolution: Field required"
    assert findings[3].startswith("c-syntax.yaml:4: <root>: ")
    assert findings[4].startswith("d-duplicate.yaml:1: id: duplicate id 'NAT-2020-001'")
    assert "a-good.yaml:1" in findings[4]
    assert caught.value.exit_code == 3


def test_jsonl_files_and_lists_of_incidents(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    ok = (FIXTURES / "history_ok" / "incidents" / "cyb-2021-ransomware.yaml").read_text()
    listed = "- " + ok.replace("\n", "\n  ").replace("id: CYB-2021-004", "id: CYB-X", 1)
    (tmp_path / "incidents" / "many.yaml").write_text(listed)
    (tmp_path / "more.jsonl").write_text(
        '{"id": "J-1", "title": "t", "occurred_at": "2020-01-01T00:00:00Z", '
        '"category": "NAT.flood", "severity": "S4", "summary": "s", "resolution": "r", '
        '"outcome": "o", "source": "x"}\n\n{"id": "J-2"}\nnot json\n'
    )
    with pytest.raises(ConfigError) as caught:
        read_history_dir(tmp_path)
    message = str(caught.value)
    assert "more.jsonl:3: title: Field required" in message
    assert "more.jsonl:4: <root>: invalid JSON" in message
    assert "many.yaml" not in message
    (tmp_path / "more.jsonl").write_text((tmp_path / "more.jsonl").read_text().split("\n")[0])
    assert sorted(i.id for i in read_history_dir(tmp_path)) == ["CYB-X", "J-1"]


def test_list_item_errors_point_at_the_item(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "x.yaml").write_text("- id: A\n  title: t\n- id: B\n  title: u\n")
    with pytest.raises(ConfigError) as caught:
        read_history_dir(tmp_path)
    assert "x.yaml:3: 1.occurred_at: Field required" in str(caught.value)


def test_empty_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "empty.yaml").write_text("# nothing yet\n")
    with pytest.raises(ConfigError, match=r"empty.yaml:1: <root>: the file holds no incident"):
        read_history_dir(tmp_path)


def test_line_of_falls_back_to_the_nearest_ancestor() -> None:
    import yaml

    node = yaml.compose("a:\n  b:\n    - x\n    - y: 1\n")
    assert line_of(node, ("a", "b", 1, "y")) == 4
    assert line_of(node, ("a", "missing")) == 1
    assert line_of(node, ("a", "b", 7)) == 2


def test_load_history_is_idempotent(engine: Engine) -> None:
    first = load_history(engine, FIXTURES / "history_ok")
    second = load_history(engine, FIXTURES / "history_ok")
    assert first == UpsertResult(added=2)
    assert second == UpsertResult(unchanged=2)


def test_broken_archive_loads_nothing(engine: Engine) -> None:
    with pytest.raises(ConfigError):
        load_history(engine, FIXTURES / "history_bad")
    assert IncidentRepository(engine).count() == 0


def test_ensure_archive_only_fills_an_empty_store(engine: Engine, tmp_path: Path) -> None:
    history = tmp_path / "history"
    shutil.copytree(FIXTURES / "history_ok", history)
    assert ensure_archive(engine, history) == 2
    assert ensure_archive(engine, history) == 0
    assert ensure_archive(engine, tmp_path / "absent") == 0
    assert IncidentRepository(engine).count() == 2


def test_missing_history_dir_is_a_config_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="history directory not found"):
        load_history(engine, tmp_path / "nope")
