"""The schema migrations of the store: one registry, applied in name order.

A migration is a named function of a connection, recorded in the
``schema_migrations`` table once applied (as in simonw/llm). Names are
``mNNN_what`` and never change; :func:`init_db` applies the missing ones sorted
by name, so ``m002`` always runs before ``m003`` whatever the import order.

The store's own migrations are registered below. A package on top of ``agent``
(``evals``) registers its tables through the same public hook when it is
imported, so the store never imports it::

    register_tables("m003_eval_runs", eval_runs_table, eval_case_results_table)

    @migration
    def m005_add_column(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE incidents ADD COLUMN ..."))

A migration registered by such a package may run after higher-numbered ones on
a database created before the package was imported: it must only touch its own
tables. ``tests/unit/test_migrations.py`` fails if the registry and the
migrations written in the source tree drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from agent.errors import StoreError
from agent.store.session import short_error
from agent.store.tables import IncidentRow, SuggestionRow, create_if_missing

__all__ = [
    "CreateTables",
    "Migration",
    "applied_migrations",
    "create_if_missing",
    "init_db",
    "migration",
    "migration_names",
    "migrations",
    "register_migration",
    "register_tables",
    "registry_version",
]

Migration = Callable[[Connection], None]
NAME = re.compile(r"^m(\d{3})_[a-z0-9_]+$")
"""A migration name: ``m`` + three digits (its place in the order) + ``_what``."""

_REGISTRY: dict[str, Migration] = {}
_version = 0

_migrations_meta = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _migrations_meta,
    Column("name", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def register_migration(name: str, fn: Migration) -> Migration:
    """Add ``fn`` to the registry under ``name``; returns ``fn``.

    Raises:
        ValueError: a malformed name, or a name or number already taken by another migration.
    """
    global _version
    match = NAME.match(name)
    if match is None:
        raise ValueError(f"migration name {name!r} must look like m001_what")
    old = _REGISTRY.get(name)
    if old is not None and not _same(old, fn):
        raise ValueError(f"migration {name!r} is already registered by {old.__module__}")
    clash = [n for n in _REGISTRY if n != name and n[:4] == name[:4]]
    if clash:
        raise ValueError(f"migration {name!r}: number {match.group(1)} is taken by {clash[0]}")
    _REGISTRY[name] = fn
    _version += 1
    return fn


def _same(a: Migration, b: Migration) -> bool:
    """The same migration given again (its module imported twice, e.g. reloaded)."""
    if isinstance(a, CreateTables) and isinstance(b, CreateTables):
        return a.table_names == b.table_names
    key = ("__module__", "__qualname__")
    return all(getattr(a, k, None) == getattr(b, k, None) for k in key)


def migration(fn: Migration) -> Migration:
    """Decorator: register ``fn`` under its ``__name__`` (recorded when applied)."""
    return register_migration(fn.__name__, fn)


@dataclass(frozen=True)
class CreateTables:
    """A migration that creates tables (and their indexes) if they are missing."""

    name: str
    tables: tuple[Table, ...]

    @property
    def table_names(self) -> tuple[str, ...]:
        """The tables it creates, in order."""
        return tuple(t.name for t in self.tables)

    def __call__(self, conn: Connection) -> None:
        """Create every table not there yet."""
        for table in self.tables:
            create_if_missing(conn, table)


def register_tables(name: str, *tables: Table) -> Migration:
    """Register migration ``name``: create ``tables`` (with their indexes) if missing.

    The public hook for packages on top of the store: they declare their SQLModel
    tables and call this when imported; the store creates them with its own.

    Raises:
        ValueError: no table, or the name is malformed or taken (see :func:`register_migration`).
    """
    if not tables:
        raise ValueError(f"migration {name!r}: no table to create")
    return register_migration(name, CreateTables(name, tables))


def migrations() -> list[tuple[str, Migration]]:
    """Every registered migration, sorted by name: the order :func:`init_db` applies them."""
    return sorted(_REGISTRY.items())


def migration_names() -> list[str]:
    """The registered names, sorted."""
    return [name for name, _fn in migrations()]


def registry_version() -> int:
    """A counter bumped on each registration (engines migrated earlier catch up)."""
    return _version


def init_db(engine: Engine) -> list[str]:
    """Apply the migrations not yet recorded, in name order; safe to call any number of times.

    Two processes migrating the same new database at once is fine: a migration
    the other process recorded meanwhile counts as applied.

    Returns:
        The names of the migrations applied by this call (empty when up to date).

    Raises:
        StoreError: the database cannot be reached or a migration failed.
    """
    if _up_to_date(engine):
        return []
    applied: list[str] = []
    try:
        with engine.begin() as conn:
            create_if_missing(conn, schema_migrations)
        done = set(applied_migrations(engine))
        for name, fn in migrations():
            if name not in done and _apply(engine, name, fn):
                applied.append(name)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate the store: {short_error(exc)}") from exc
    return applied


def _up_to_date(engine: Engine) -> bool:
    """Every registered migration is recorded: one SELECT, no DDL, on every start but the first.

    Any error (no ``schema_migrations`` table yet, say) means "not known to be current":
    the full path then creates, applies and reports as it always did.
    """
    try:
        done = set(applied_migrations(engine))
    except SQLAlchemyError:
        return False
    return all(name in done for name in _REGISTRY)


def _apply(engine: Engine, name: str, fn: Migration) -> bool:
    """Run one migration and record it; False if another process recorded it first."""
    try:
        with engine.begin() as conn:
            fn(conn)
            conn.execute(insert(schema_migrations).values(name=name, applied_at=datetime.now(UTC)))
    except SQLAlchemyError:
        if name in applied_migrations(engine):
            return False
        raise
    return True


def applied_migrations(engine: Engine) -> list[str]:
    """The names recorded in ``schema_migrations``, sorted (names start with their order)."""
    with engine.connect() as conn:
        names = conn.scalars(select(schema_migrations.c.name))
        return sorted(names)


# --- the store's own migrations ---------------------------------------------------------


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
def m002_llm_calls(conn: Connection) -> None:
    """Create the LLM call log (see agent/store/llm_calls.py)."""
    from agent.store.llm_calls import LLMCallRow  # imported when run: a current store skips it

    create_if_missing(conn, SQLModel.metadata.tables[str(LLMCallRow.__tablename__)])


# m003_eval_runs is registered by evals/store.py (the eval run and per-case result tables).


@migration
def m004_crisis_log(conn: Connection) -> None:
    """Create the crisis register and the append-only crisis log (with its triggers)."""
    from agent.store.crisis_log import create_tables  # imported when run, as m002's table

    create_tables(conn)


@migration
def m005_incidents_loaded_at_index(conn: Connection) -> None:
    """Index ``incidents.loaded_at``: the archive's revision reads its max on every start.

    A fresh database already has it from m001 (the column is declared indexed); this
    adds it to databases created before, on SQLite and PostgreSQL alike.
    """
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_incidents_loaded_at ON incidents (loaded_at)"))
