"""kill -9 at a few node boundaries with the PostgreSQL store and checkpointer.

The same killed CLI runs and the same proof as ``test_kill_at_node.py`` (which covers
every node on SQLite), for the first, a model-seam and the last node of ``crisis open``
and for ``intake``, ``check`` and ``finalise`` of ``crisis update``: not every
node, to keep CI short. Runs when ``CRISISCELL_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent.store.db import dispose_engines
from tests.faults.test_concurrent_approvals import PG_URL, fresh_postgres
from tests.faults.test_kill_at_node import Kill, kill_all, prove_not_wedged

KILLS = [Kill("open", n) for n in ("intake", "generate", "finalise")] + [
    Kill("update", n) for n in ("intake", "check", "finalise")
]


@pytest.fixture(scope="module")
def postgres_kills(
    tmp_path_factory: pytest.TempPathFactory, pack_dir: Path
) -> Iterator[tuple[Path, dict[Kill, int]]]:
    if not PG_URL:
        pytest.skip("no PostgreSQL: set CRISISCELL_TEST_POSTGRES_URL to run")
    fresh_postgres(PG_URL)
    home = tmp_path_factory.mktemp("kill-postgres")
    env = {"CRISISCELL_LLM": "offline", "CRISISCELL_DATABASE_URL": PG_URL}
    yield home, kill_all(home, pack_dir, KILLS, env)
    dispose_engines()


@pytest.mark.parametrize("kill", KILLS, ids=lambda k: f"{k.command}-{k.node}")
def test_kill_after_node_on_postgres(
    postgres_kills: tuple[Path, dict[Kill, int]], pack_dir: Path, kill: Kill,
    monkeypatch: pytest.MonkeyPatch, record_property: Callable[[str, object], None],
) -> None:
    assert PG_URL is not None
    home, codes = postgres_kills
    monkeypatch.setenv("CRISISCELL_HOME", str(home))
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
    monkeypatch.setenv("CRISISCELL_LLM", "offline")
    monkeypatch.setenv("CRISISCELL_DATABASE_URL", PG_URL)
    record_property("left", prove_not_wedged(kill, codes[kill]))
    dispose_engines()
