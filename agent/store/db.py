"""The SQL engine and the schema migrations of the store.

SQLite is the embedded default (WAL journal, 30 s busy timeout, foreign keys
on); any other SQLAlchemy URL, such as ``postgresql+psycopg://...``, goes
through the same code. Migrations are ordered, named functions recorded in a
``schema_migrations`` table, as in simonw/llm::

    @migration
    def m002_add_column(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE incidents ADD COLUMN ..."))
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import Session, SQLModel

from agent.errors import StoreError
from agent.settings import Settings
from agent.store.tables import IncidentRow, SuggestionRow

BUSY_TIMEOUT_MS = 30_000

Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = []
"""Every migration, in the order it must run; names must never change."""

_migrations_meta = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _migrations_meta,
    Column("name", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration; its ``__name__`` is recorded when applied."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(conn: Connection) -> None:
    """Create the incident and suggestion tables with their indexes.

    This uses the current SQLModel definitions, so a later migration that adds a
    column must check that the column is not already there (fresh databases get it
    from here).
    """
    for name in (IncidentRow.__tablename__, SuggestionRow.__tablename__):
        create_if_missing(conn, SQLModel.metadata.tables[str(name)])


@migration
def m004_crisis_log(conn: Connection) -> None:
    """Create the crisis register and the append-only crisis log (with its triggers)."""
    from agent.store.crisis_log import create_tables

    create_tables(conn)


def create_if_missing(conn: Connection, table: Table) -> None:
    """``CREATE TABLE/INDEX IF NOT EXISTS``: safe when two processes race to create."""
    conn.execute(CreateTable(table, if_not_exists=True))
    for index in table.indexes:
        conn.execute(CreateIndex(index, if_not_exists=True))


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys.

    Args:
        url: a SQLAlchemy URL, e.g. ``sqlite:///path.db``, ``sqlite://`` (in memory)
            or ``postgresql+psycopg://user@host/db``.

    Raises:
        StoreError: the URL is malformed or names a driver that is not installed.
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return create_engine(url, pool_pre_ping=True)
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open the store at {url!r}: {exc}") from exc
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Set the per-connection SQLite pragmas."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def init_db(engine: Engine) -> list[str]:
    """Apply the migrations not yet recorded; safe to call any number of times.

    Two processes migrating the same new database at once is fine: a migration
    the other process recorded meanwhile counts as applied.

    Returns:
        The names of the migrations applied by this call (empty when up to date).

    Raises:
        StoreError: the database cannot be reached or a migration failed.
    """
    applied: list[str] = []
    try:
        with engine.begin() as conn:
            create_if_missing(conn, schema_migrations)
        done = set(applied_migrations(engine))
        for fn in MIGRATIONS:
            if fn.__name__ not in done and _apply(engine, fn):
                applied.append(fn.__name__)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate the store: {_short(exc)}") from exc
    return applied


def _apply(engine: Engine, fn: Migration) -> bool:
    """Run one migration and record it; False if another process recorded it first."""
    try:
        with engine.begin() as conn:
            fn(conn)
            conn.execute(
                insert(schema_migrations).values(name=fn.__name__, applied_at=datetime.now(UTC))
            )
    except SQLAlchemyError:
        if fn.__name__ in applied_migrations(engine):
            return False
        raise
    return True


def applied_migrations(engine: Engine) -> list[str]:
    """The names recorded in ``schema_migrations``, sorted (names start with their order)."""
    with engine.connect() as conn:
        names = conn.scalars(select(schema_migrations.c.name))
        return sorted(names)


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(settings: Settings) -> Engine:
    """The migrated engine of ``settings.db_url``, created once per URL per process.

    Raises:
        StoreError: the store cannot be opened or migrated.
    """
    url = settings.db_url
    with _ENGINES_LOCK:
        if url not in _ENGINES:
            engine = make_engine(url)
            init_db(engine)
            _ENGINES[url] = engine
        return _ENGINES[url]


def dispose_engines() -> None:
    """Close the pooled connections of every cached engine and forget them (tests, reloads)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session committed on success, rolled back on error; SQL errors become StoreError."""
    try:
        with Session(engine) as session:
            yield session
            session.commit()
    except SQLAlchemyError as exc:
        raise StoreError(f"store error: {_short(exc)}") from exc


def _short(exc: SQLAlchemyError) -> str:
    """The first line of a SQLAlchemy error, without the SQL and the docs link."""
    orig = getattr(exc, "orig", None)
    return (str(orig if orig is not None else exc).splitlines() or [type(exc).__name__])[0]


@migration
def m003_eval_runs(conn: Connection) -> None:
    """Create the eval run and per-case result tables (see agent/evaluation/store.py)."""
    from agent.evaluation.store import EVAL_TABLES

    for name in EVAL_TABLES:
        create_if_missing(conn, SQLModel.metadata.tables[name])


@migration
def m002_llm_calls(conn: Connection) -> None:
    """Create the LLM call log (see agent/store/llm_calls.py)."""
    from agent.store.llm_calls import LLMCallRow

    create_if_missing(conn, SQLModel.metadata.tables[str(LLMCallRow.__tablename__)])
