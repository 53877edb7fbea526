from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from agent.errors import StoreError
from agent.settings import Settings
from agent.store.db import (
    applied_migrations,
    dispose_engines,
    engine_for,
    init_db,
    make_engine,
)
from agent.store.migrations import migration_names


@pytest.fixture
def file_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    yield engine
    engine.dispose()


def test_migrations_apply_once_and_are_recorded(file_engine: Engine) -> None:
    first = init_db(file_engine)
    second = init_db(file_engine)
    assert first == migration_names()
    assert first[0] == "m001_initial"
    assert second == []
    assert sorted(applied_migrations(file_engine)) == sorted(first)


def test_migrations_create_tables_and_indexes(file_engine: Engine) -> None:
    init_db(file_engine)
    inspector = inspect(file_engine)
    assert {"incidents", "suggestions", "schema_migrations"} <= set(inspector.get_table_names())
    indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("incidents")}
    assert {("category",), ("family",), ("occurred_at",)} <= indexed


def test_sqlite_pragmas(file_engine: Engine) -> None:
    with file_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_in_memory_engine_shares_one_database() -> None:
    engine = make_engine("sqlite://")
    init_db(engine)
    with engine.connect() as a, engine.connect() as b:
        count = a.execute(text("SELECT count(*) FROM schema_migrations")).scalar()
        assert count == len(migration_names())
        assert b.execute(text("SELECT count(*) FROM incidents")).scalar() == 0
    engine.dispose()


def test_engine_for_is_cached_per_url(tmp_path: Path) -> None:
    one = Settings(home=tmp_path / "a")
    two = Settings(home=tmp_path / "b")
    try:
        assert engine_for(one) is engine_for(one)
        assert engine_for(one) is not engine_for(two)
        assert sorted(applied_migrations(engine_for(one))) == migration_names()
    finally:
        dispose_engines()


def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        make_engine("not a url")


def test_unwritable_database_is_a_store_error(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    with pytest.raises(StoreError, match="cannot migrate"):
        init_db(engine)
    engine.dispose()


def test_concurrent_first_start_is_safe(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engines = [make_engine(url) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(init_db, engines))
    assert sorted(name for r in results for name in r) == migration_names()
    assert sorted(applied_migrations(engines[0])) == migration_names()
    for engine in engines:
        engine.dispose()


def test_other_databases_go_through_the_same_code() -> None:
    pytest.importorskip("psycopg")
    engine = make_engine("postgresql+psycopg://crisiscell@127.0.0.1:1/crisiscell")
    assert engine.dialect.name == "postgresql"
    with pytest.raises(StoreError, match="cannot migrate the store"):
        init_db(engine)
    engine.dispose()
