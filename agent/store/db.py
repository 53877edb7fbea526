"""The SQL engine of the store, and the engine cache that keeps every engine migrated.

SQLite is the embedded default (WAL journal, 30 s busy timeout, foreign keys
on); any other SQLAlchemy URL, such as ``postgresql+psycopg://...``, goes
through the same code. The schema migrations live in
:mod:`agent.store.migrations` (one registry, applied in name order); packages on
top of the store register their own tables there, and :func:`engine_for`
applies a migration registered after an engine was first opened on its next call.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from agent.errors import StoreError
from agent.settings import Settings
from agent.store.migrations import applied_migrations, init_db, registry_version
from agent.store.session import session_scope

__all__ = [
    "BUSY_TIMEOUT_MS",
    "applied_migrations",
    "dispose_engines",
    "engine_for",
    "init_db",
    "make_engine",
    "session_scope",
]

BUSY_TIMEOUT_MS = 30_000


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


_ENGINES: dict[str, Engine] = {}
_MIGRATED: dict[str, int] = {}
"""URL -> the registry version its engine was last migrated at."""
_ENGINES_LOCK = threading.Lock()


def engine_for(settings: Settings) -> Engine:
    """The migrated engine of ``settings.db_url``, created once per URL per process.

    A migration registered since the engine was migrated (a package such as
    ``evals`` imported later in the process) is applied before it is returned.

    Raises:
        StoreError: the store cannot be opened or migrated.
    """
    url = settings.db_url
    with _ENGINES_LOCK:
        version = registry_version()
        engine = _ENGINES.get(url)
        if engine is None:
            engine = make_engine(url)
            init_db(engine)
            _ENGINES[url] = engine
            _MIGRATED[url] = version
        elif _MIGRATED.get(url) != version:
            init_db(engine)
            _MIGRATED[url] = version
        return engine


def dispose_engines() -> None:
    """Close the pooled connections of every cached engine and forget them (tests, reloads)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _MIGRATED.clear()


atexit.register(dispose_engines)
"""Pooled connections are closed at exit, even when the CLI skips the interpreter's
teardown (:mod:`agent.fast_exit`): PostgreSQL sees a goodbye, not a dropped socket."""
