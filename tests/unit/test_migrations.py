"""The store's migration registry: one list, run in name order, in step with the source tree."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect
from sqlalchemy.engine import Connection

import evals.store  # noqa: F401  (registers m003_eval_runs, as any use of evals does)
from agent.settings import Settings
from agent.store import migrations
from agent.store.db import dispose_engines, engine_for, init_db, make_engine
from agent.store.migrations import (
    NAME,
    applied_migrations,
    migration_names,
    register_migration,
    register_tables,
)
from tests.conftest import ROOT

SHIPPED = [
    "m001_initial", "m002_llm_calls", "m003_eval_runs", "m004_crisis_log",
    "m005_incidents_loaded_at_index",
]
"""Names already recorded in users' databases: they must never change or disappear."""
REGISTRARS = {"register_tables", "register_migration"}


def _declared(path: Path) -> set[str]:
    """Migration names a source file declares: ``@migration def mNNN_...`` or a registrar call."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "migration" for d in node.decorator_list
        ):
            found.add(node.name)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in REGISTRARS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def declared_in_tree() -> set[str]:
    files = [*(ROOT / "agent").rglob("*.py"), *(ROOT / "evals").rglob("*.py")]
    return {name for path in files for name in _declared(path)}


def test_registry_is_exactly_the_migrations_written_in_the_tree() -> None:
    assert set(migration_names()) == declared_in_tree()


def test_registry_runs_in_name_order_and_keeps_every_shipped_name() -> None:
    names = migration_names()
    assert names == sorted(names)
    assert all(NAME.match(n) for n in names)
    numbers = [int(n[1:4]) for n in names]
    assert numbers == list(range(1, len(names) + 1)), "migration numbers must be 001, 002, ..."
    assert set(SHIPPED) <= set(names)


def test_init_db_applies_them_in_name_order(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        assert init_db(engine) == migration_names()
        assert applied_migrations(engine) == migration_names()
        assert {"eval_runs", "eval_case_results", "crisis_log"} <= set(
            inspect(engine).get_table_names()
        )
    finally:
        engine.dispose()


def test_malformed_or_taken_names_are_refused() -> None:
    def noop(_conn: Connection) -> None:
        return None

    before = migration_names()
    with pytest.raises(ValueError, match="must look like"):
        register_migration("add_column", noop)
    with pytest.raises(ValueError, match="already registered"):
        register_migration("m001_initial", noop)
    with pytest.raises(ValueError, match="number 002 is taken"):
        register_migration("m002_something_else", noop)
    with pytest.raises(ValueError, match="no table"):
        register_tables("m099_nothing")
    assert migration_names() == before


def test_a_migration_registered_after_the_engine_opened_is_applied_on_next_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package imported late (the console's evaluations page) still finds its tables."""
    monkeypatch.setattr(migrations, "_REGISTRY", dict(migrations._REGISTRY))
    settings = Settings(home=tmp_path / "home")
    try:
        engine = engine_for(settings)
        assert "m099_late" not in applied_migrations(engine)
        late = Table("late_plugin_rows", MetaData(), Column("id", Integer, primary_key=True))
        register_tables("m099_late", late)
        assert engine_for(settings) is engine
        assert "m099_late" in applied_migrations(engine)
        assert "late_plugin_rows" in inspect(engine).get_table_names()
    finally:
        dispose_engines()


def test_the_store_migrates_without_evals(tmp_path: Path) -> None:
    """agent alone (no evals imported) migrates its own tables and never loads evals."""
    code = (
        "import sys\n"
        "from agent.settings import Settings\n"
        "from agent.store.db import applied_migrations, engine_for\n"
        f"engine = engine_for(Settings(home={str(tmp_path)!r}))\n"
        "print(','.join(applied_migrations(engine)))\n"
        "assert not [m for m in sys.modules if m == 'evals' or m.startswith('evals.')]\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "m001_initial,m002_llm_calls,m004_crisis_log,m005_incidents_loaded_at_index"
    )
