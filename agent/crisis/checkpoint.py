"""The persistent LangGraph checkpointer behind crisis threads.

SQLite next to the store by default; PostgreSQL when the store is PostgreSQL, through
the same configuration (``CRISISCELL_DATABASE_URL``). The serializer only revives our
own domain types, so a tampered checkpoint cannot instantiate arbitrary classes.

A run that dies half-way (an exception inside a node, ``kill -9`` during ``crisis
open`` or ``update``) leaves the thread between checkpoints: the log has the event
or the decision, the graph has not reached the next decision point, and every
command would refuse a crisis "not waiting for a decision". :func:`recover`
*resumes* such a thread, called by the service before any decision and by
``crisis open`` with the same id. Resuming rather than reopening, because the
checkpoint already holds every node that finished and the nodes are pure
functions of the state: re-running the pending ones gives the same answer, keeps
the logged event the only one, and keeps the crisis id. :func:`interrupted`
says what happened, for ``crisis show``.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel
from sqlalchemy.engine import make_url

from agent import domain
from agent.crisis import models as crisis_models
from agent.domain import Event, Suggestion, utcnow
from agent.pack.models import ActionType
from agent.settings import Settings
from agent.state import InputState, State

if TYPE_CHECKING:
    from agent.crisis.service import CrisisService

STALE_DECISION = timedelta(minutes=5)
"""A logged decision the graph has not applied after this long was cut off by a crash
(a run takes ``CRISISCELL_DEADLINE_S``, 45 s by default), not still being applied."""


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


def pending(snapshot: Any) -> tuple[str, ...]:
    """The nodes a run still owes this thread, finished or not.

    Those to run, and those whose writes were saved when the process died but whose
    checkpoint was not: LangGraph leaves them out of ``next``, so a thread killed
    there looked finished and waited for nothing.
    """
    names = [*snapshot.next, *(task.name for task in snapshot.tasks)]
    return tuple(dict.fromkeys(names))


CrashKind = Literal["run", "first", "decision", "unrecorded"]


def diagnose(service: CrisisService, crisis_id: str) -> tuple[CrashKind, str] | None:
    """What a crash left half-done on this thread (its kind, in words); None when nothing is."""
    snapshot = service.graph.get_state(_config(crisis_id))
    owed = pending(snapshot)
    if owed and "await_decision" not in owed:
        where = f"before {', '.join(snapshot.next)}" if snapshot.next else f"after {owed[0]}"
        return "run", f"run interrupted {where}"
    crisis = service.log.get(crisis_id)
    if not snapshot.values:
        open_ = crisis is not None and crisis.status == "open"
        return ("first", "run interrupted before its first checkpoint") if open_ else None
    latest = service.log.latest_decision(crisis_id)
    state = State.model_validate(snapshot.values)
    applied = state.decision.at.isoformat() if state.decision else None
    if latest is not None and owed and not _same(latest.payload.get("at"), applied):
        return "decision", f"decision #{latest.id} ({latest.summary}) logged but not applied"
    run = state.suggestion.lineage.run_id if state.suggestion else None
    if run and crisis is not None and crisis.last_run_id != run:
        return "unrecorded", f"suggestion of run {run} finished but not recorded"
    return None


def interrupted(service: CrisisService, crisis_id: str) -> str | None:
    """What a crash left half-done on this thread, in words; None when nothing is."""
    found = diagnose(service, crisis_id)
    return found[1] if found else None


def recover(service: CrisisService, crisis_id: str) -> str | None:
    """Finish what a crash left half-done, log it, and say what was done (None: nothing).

    A logged decision is re-applied only once it is older than :data:`STALE_DECISION`;
    a younger one may still be in another operator's run. A finished run whose
    suggestion the killed process never recorded is recorded (log entry, stored
    suggestion), diffed against the last one it did record.
    """
    found = diagnose(service, crisis_id)
    if found is None:
        return None
    kind, what = found
    config = _config(crisis_id)
    if kind == "run":
        service.graph.invoke(None, config)
    elif kind == "first":
        service.graph.invoke(_replay_input(service, crisis_id), config)
    elif kind == "decision" and not _reapply(service, crisis_id, config):
        return None
    service._after_run(crisis_id, "crisiscell", _recorded(service, crisis_id), [])
    service.log.append(crisis_id, "note", f"{what}; resumed from the last checkpoint",
                       author="crisiscell")
    return what


def _recorded(service: CrisisService, crisis_id: str) -> Suggestion | None:
    """The last suggestion the crisis log recorded (what the resumed run is diffed against)."""
    crisis = service.log.require(crisis_id)
    return service.suggestions.get(crisis.last_run_id) if crisis.last_run_id else None


def _reapply(service: CrisisService, crisis_id: str, config: Any) -> bool:
    """Apply a logged decision a crash cut off, once it is surely not in flight."""
    from langgraph.types import Command

    latest = service.log.latest_decision(crisis_id)
    if latest is None or utcnow() - latest.at < STALE_DECISION:
        return False
    service.graph.invoke(Command(resume=latest.payload), config)
    return True


def _replay_input(service: CrisisService, crisis_id: str) -> InputState:
    """The open's input again, from the logged event (it is the first entry)."""
    crisis = service.log.require(crisis_id)
    first = service.log.entries(crisis_id)[0]
    event = Event(text=first.summary, reported_at=first.at, site=first.payload.get("site"),
                  facts=first.payload.get("facts") or {})
    return InputState(event=event, clearance=crisis.clearance, crisis_id=crisis_id)


def _same(logged: object, applied: str | None) -> bool:
    from datetime import datetime

    if applied is None or logged is None:
        return logged is None and applied is None
    try:
        return datetime.fromisoformat(str(logged)) == datetime.fromisoformat(applied)
    except ValueError:
        return False


def _config(crisis_id: str) -> Any:
    return {"configurable": {"thread_id": crisis_id}}
