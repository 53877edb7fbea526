"""The persistent LangGraph checkpointer behind crisis threads.

SQLite next to the store by default; PostgreSQL when the store is PostgreSQL, through
the same configuration (``CRISISCELL_DATABASE_URL``). The serializer only revives our
own domain types, so a tampered checkpoint cannot instantiate arbitrary classes.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel
from sqlalchemy.engine import make_url

from agent import domain
from agent.crisis import models as crisis_models
from agent.pack.models import ActionType
from agent.settings import Settings


def serializer() -> JsonPlusSerializer:
    """A serializer that may revive exactly our state types and nothing else."""
    types: list[type] = [ActionType]
    for module in (domain, crisis_models):
        types += [
            obj
            for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, BaseModel) and obj.__module__ == module.__name__
        ]
    return JsonPlusSerializer(allowed_msgpack_modules=types)


@contextmanager
def open_checkpointer(settings: Settings) -> Iterator[BaseCheckpointSaver[str]]:
    """The checkpointer for the configured store, closed on exit."""
    url = make_url(settings.db_url)
    if url.get_backend_name() == "postgresql":
        with _postgres(
            url.set(drivername="postgresql").render_as_string(hide_password=False)
        ) as saver:
            yield saver
        return
    if url.database in (None, "", ":memory:"):
        yield InMemorySaver(serde=serializer())
        return
    with _sqlite(Path(url.database).with_suffix(".checkpoints.db")) as saver:
        yield saver


@contextmanager
def _sqlite(path: Path) -> Iterator[BaseCheckpointSaver[str]]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    try:
        saver = SqliteSaver(conn, serde=serializer())
        saver.setup()
        yield saver
    finally:
        conn.close()


@contextmanager
def _postgres(conninfo: str) -> Iterator[BaseCheckpointSaver[str]]:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    with ConnectionPool(conninfo, kwargs=kwargs, min_size=1, max_size=8, open=True) as pool:
        saver = PostgresSaver(pool, serde=serializer())  # type: ignore[arg-type]
        saver.setup()
        yield saver
