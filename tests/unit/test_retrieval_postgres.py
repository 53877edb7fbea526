"""The persisted retrieval index over a real PostgreSQL store (skipped without one).

The tables live in a schema of their own, so this never touches the tables other
PostgreSQL tests create and drop.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from agent.retrieval import Retriever
from agent.retrieval_cache import index_path, open_retriever
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository
from tests.fakes import incident
from tests.unit.test_retrieval import ARCHIVE

URL = os.environ.get("CRISISCELL_TEST_POSTGRES_URL")
SCHEMA = "test_retrieval_index"


@pytest.fixture
def pg_repo() -> Iterator[IncidentRepository]:
    if not URL:
        pytest.skip("no PostgreSQL: set CRISISCELL_TEST_POSTGRES_URL to run")
    admin = make_engine(URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    joiner = "&" if "?" in URL else "?"
    engine: Engine = make_engine(f"{URL}{joiner}options=-csearch_path%3D{SCHEMA}")
    init_db(engine)
    yield IncidentRepository(engine)
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def test_bulk_add_stream_and_take_on_postgres(pg_repo: IncidentRepository) -> None:
    assert pg_repo.add_new(ARCHIVE, source="test", batch=3) == len(ARCHIVE)
    assert [i.id for i in pg_repo.stream(chunk=2)] == [i.id for i in pg_repo.all()]
    assert [i.id for i in pg_repo.take(["INC-3", "INC-1", "nope"])] == ["INC-3", "INC-1"]


def test_the_revision_moves_on_add_and_update_only(pg_repo: IncidentRepository) -> None:
    pg_repo.upsert(ARCHIVE, source="test")
    first = pg_repo.revision()
    pg_repo.upsert(ARCHIVE, source="test")
    assert pg_repo.revision() == first
    pg_repo.upsert([ARCHIVE[0].model_copy(update={"summary": "Changed."})], source="test")
    second = pg_repo.revision()
    assert second != first
    pg_repo.upsert([incident("INC-9", "New", "New one.", "NAT.flood")], source="test")
    assert pg_repo.revision() not in (first, second)


def test_the_saved_index_matches_the_in_memory_one_on_postgres(
    pg_repo: IncidentRepository, tmp_path: Path
) -> None:
    pg_repo.upsert(ARCHIVE, source="test")
    open_retriever(pg_repo, None, directory=tmp_path)
    written = index_path("*", tmp_path).stat().st_mtime_ns
    loaded = open_retriever(pg_repo, None, directory=tmp_path)
    assert index_path("*", tmp_path).stat().st_mtime_ns == written
    in_memory = Retriever(pg_repo.all())
    for query in ("ammonia vapour leak", "warehouse fire", "ransomware servers"):
        got = loaded.search(query, threshold=0.0).precedents
        assert got == in_memory.search(query, threshold=0.0).precedents
