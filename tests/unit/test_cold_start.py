"""Cold start (issue 11): the pack is parsed once per content, the store checked in one query,
and a command that reads no report imports no rules, graph or SQL."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from agent.errors import PackError
from agent.pack.loader import load_pack
from agent.service import cached_pack
from agent.settings import Settings
from agent.store.db import dispose_engines, engine_for
from agent.store.migrations import init_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped pack, and a cache of its own."""
    monkeypatch.setenv("CRISISCELL_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "sops"
    target.mkdir()
    for path in (ROOT / "sops").glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


def _cached(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("pack-*.json"))


def test_cached_pack_is_the_pack_the_loader_builds(pack_dir: Path, tmp_path: Path) -> None:
    first = cached_pack(pack_dir)
    assert len(_cached(tmp_path)) == 1
    again = cached_pack(pack_dir)  # read back from the cache
    assert again == first == load_pack(pack_dir)
    assert again.root == pack_dir


def test_a_changed_file_is_a_new_key(pack_dir: Path, tmp_path: Path) -> None:
    before = cached_pack(pack_dir)
    sites = pack_dir / "sites.yaml"
    sites.write_text(sites.read_text() + "\n# edited\n")
    after = cached_pack(pack_dir)
    assert len(_cached(tmp_path)) == 2
    assert after.pack_hash != before.pack_hash
    assert after.pack_hash == load_pack(pack_dir).pack_hash


def test_a_broken_pack_fails_and_is_not_cached(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "taxonomy.yaml").write_text("kind: taxonomy\nfamilies: 3\n")
    with pytest.raises(PackError):
        cached_pack(pack_dir)
    assert _cached(tmp_path) == []


def test_a_damaged_cache_file_is_rebuilt(pack_dir: Path, tmp_path: Path) -> None:
    cached_pack(pack_dir)
    [path] = _cached(tmp_path)
    path.write_bytes(b'{"root": "elsewhere", "taxonomy": 1}')
    assert cached_pack(pack_dir) == load_pack(pack_dir)


def test_a_current_store_is_checked_in_one_select(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}")
    engine = engine_for(settings)  # creates and migrates
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not statement.startswith("PRAGMA"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert init_db(engine) == []
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        dispose_engines()
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("SELECT")


PROBE = """
import sys
import agent.cli
import agent.rules.counts as counts, agent.rules.durations as durations
import agent.rules.cyber_scope as cyber_scope, agent.rules.evacuations as evacuations
loaded = [m for m in ("langgraph", "sqlalchemy", "agent.rules.text_facts") if m in sys.modules]
compiled = [f.__name__ for f in (counts.compiled, counts.compiled_reverse,
            durations.elapsed_regexes, durations.eta_regexes, cyber_scope.hosts_pattern,
            cyber_scope.records_pattern, evacuations.count_pattern) if f.cache_info().currsize]
print(loaded, compiled)
"""


def test_nothing_is_compiled_or_loaded_at_import() -> None:
    """``crisiscell --help`` pays for no graph, no store, no report reading."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["[]", "[]"]
