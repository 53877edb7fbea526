"""The same store code against a real PostgreSQL server (CI starts one; see .ci/postgres.sh)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from agent.store.archive import load_history
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository
from tests.conftest import ROOT

URL = os.environ.get("CRISISCELL_TEST_POSTGRES_URL")


@pytest.fixture
def pg() -> Iterator[Engine]:
    if not URL:
        if os.environ.get("CI"):
            pytest.fail(
                "CRISISCELL_TEST_POSTGRES_URL must be set in CI (.ci/run starts PostgreSQL)"
            )
        pytest.skip("no PostgreSQL: set CRISISCELL_TEST_POSTGRES_URL to run")
    engine = make_engine(URL)
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TABLE IF EXISTS incidents, suggestions, schema_migrations, "
                "crisis_log, crises, llm_calls CASCADE"
            )
        )
    yield engine
    engine.dispose()


def test_migrations_and_archive_load_are_idempotent_on_postgres(pg: Engine) -> None:
    first = init_db(pg)
    assert first and init_db(pg) == []
    history = ROOT / "history"
    added = load_history(pg, history)
    again = load_history(pg, history)
    assert added.added >= 60 and again.added == 0 and again.updated == 0
    repo = IncidentRepository(pg)
    assert repo.count() == added.added
    hits = repo.search(family="IND", text="ammonia")
    assert hits and all(i.category.startswith("IND.") for i in hits)


def test_suggest_runs_on_postgres(
    pg: Engine, pack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.domain import Event
    from agent.service import Suggester
    from agent.settings import Settings
    from agent.store.db import dispose_engines

    assert URL is not None
    monkeypatch.setenv("CRISISCELL_DATABASE_URL", URL)
    dispose_engines()
    suggestion = Suggester(settings=Settings(sops_dir=pack_dir)).suggest(
        Event(text="Ammonia leak near the compressor, vapour cloud over the car park")
    )
    assert suggestion.category.code == "IND.toxic_release"
    assert not suggestion.no_precedent
    dispose_engines()


def test_crisis_thread_on_postgres(
    pg: Engine, pack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PostgreSQL checkpointer and log through the same configuration as SQLite."""
    from agent.crisis.service import CrisisService
    from agent.domain import Event
    from agent.settings import Settings
    from agent.store.db import dispose_engines

    assert URL is not None
    monkeypatch.setenv("CRISISCELL_DATABASE_URL", URL)
    dispose_engines()
    event = Event(text="Ammonia leak near the compressor, vapour cloud", site="SITE-01")
    with CrisisService(Settings(sops_dir=pack_dir)) as first:
        cid = first.open(event, author="alice").crisis.id
    with CrisisService(Settings(sops_dir=pack_dir)) as second:
        result = second.approve(cid, 1, author="bob")
        assert result.approval is not None and result.approval.author == "bob"
        assert [e.kind for e in second.log.entries(cid)] == ["event", "suggestion", "decision"]
        with pytest.raises(Exception, match="append-only"), second.engine.begin() as conn:
            conn.execute(text("DELETE FROM crisis_log"))
    dispose_engines()
