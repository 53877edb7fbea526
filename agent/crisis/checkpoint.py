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

A run that *fails* (an exception, not a kill) would fail again if resumed on its own,
so :func:`failing_marks` turns it into an explicit ``failed`` status and a ``failed``
log entry instead: nothing resumes it until an operator retries it (``crisis retry``,
:func:`recover` with ``force``) or closes it.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.types import Durability
from pydantic import BaseModel
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from agent import domain
from agent import state as graph_state
from agent.domain import Event, Suggestion, utcnow
from agent.errors import CrisisCellError, InputError, StoreError
from agent.pack.models import ActionType
from agent.settings import Settings
from agent.state import InputState, State
from agent.store.crisis_log import Crisis
from agent.store.session import short_error

if TYPE_CHECKING:
    from agent.crisis.service import CrisisService

DURABILITY: Durability = "sync"
"""Every crisis run saves each step's checkpoint before the next step starts. LangGraph's
default (``async``) saves it in the background, so a kill in step N could lose step N-1's
checkpoint: a decision then looked logged but not applied, refused for
:data:`STALE_DECISION`."""

STALE_DECISION = timedelta(minutes=5)
"""A logged decision the graph has not applied after this long was cut off by a crash
(a run takes ``CRISISCELL_DEADLINE_S``, 45 s by default), not still being applied."""


LEGACY_TYPES = (("agent.crisis.models", "Decision"), ("agent.crisis.models", "Approval"))
"""Where checkpoints written before the decision models moved to the domain name them."""


def serializer() -> JsonPlusSerializer:
    """A serializer that may revive exactly our state types and nothing else."""
    types: list[type | tuple[str, ...]] = [ActionType, *LEGACY_TYPES]
    for module in (domain, graph_state):  # graph_state: the run's own input
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
    try:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=30000")
            saver = SqliteSaver(conn, serde=serializer())
            saver.setup()
        except sqlite3.DatabaseError as exc:  # a damaged file: one line, nothing written
            raise StoreError(
                f"checkpoint store {path} cannot be read ({exc}); the crisis log in the main "
                "database is intact: move the damaged file aside to start crisis threads again"
            ) from exc
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
    """What a crash left half-done on this thread (its kind, in words); None when nothing is.

    A closed crisis owes nothing, even when a failed run left nodes pending before it
    was closed.
    """
    crisis = service.log.get(crisis_id)
    if crisis is None or crisis.status == "closed":
        return None
    snapshot = service.graph.get_state(_config(crisis_id))
    owed = pending(snapshot)
    if owed and "await_decision" not in owed:
        where = f"before {', '.join(snapshot.next)}" if snapshot.next else f"after {owed[0]}"
        return "run", f"run interrupted {where}"
    if not snapshot.values:
        return "first", "run interrupted before its first checkpoint"
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


def recover(service: CrisisService, crisis_id: str, *, force: bool = False) -> str | None:
    """Finish what a crash left half-done, log it, and say what was done (None: nothing).

    A logged decision is re-applied only once it is older than :data:`STALE_DECISION`;
    a younger one may still be in another operator's run. A finished run whose
    suggestion the killed process never recorded is recorded (log entry, stored
    suggestion), diffed against the last one it did record. A ``failed`` crisis is
    left alone unless ``force`` (an operator's retry, which also re-applies a failed
    decision at once: no other run holds it).
    """
    crisis = service.log.get(crisis_id)
    found = diagnose(service, crisis_id)
    if found is None or (crisis is not None and crisis.status == "failed" and not force):
        return None
    kind, what = found
    with failing_marks(service, crisis_id, "retry" if force else "resume"):
        if not _resume(service, crisis_id, kind, force):
            return None
        service._after_run(crisis_id, "crisiscell", _recorded(service, crisis_id), [])
    service.log.append(crisis_id, "note", f"{what}; resumed from the last checkpoint",
                       author="crisiscell")
    return what


def _resume(service: CrisisService, crisis_id: str, kind: CrashKind, force: bool) -> bool:
    """Run what the crash left owed, by kind; False when a decision may still be in flight."""
    config = _config(crisis_id)
    if kind == "run":
        service.run(None, config)
    elif kind == "first":
        service.run(_replay_input(service, crisis_id), config)
    elif kind == "decision":
        return _reapply(service, crisis_id, config, force)
    return True


@contextmanager
def failing_marks(service: CrisisService, crisis_id: str, during: str) -> Iterator[None]:
    """Any failure inside this block (not a kill) leaves the crisis ``failed``, and says so.

    The error is re-raised typed (a store fault as :class:`StoreError`, anything
    unexpected as :class:`CrisisCellError`), with what to do next. If the store cannot
    even record the failure, the crisis stays at its last checkpoint, which the next
    command resumes.
    """
    try:
        yield
    except Exception as exc:
        error = _typed(exc)
        if not getattr(exc, "_crisis_failed", False):  # an inner block already said so
            advice = (f"crisis {crisis_id} failed during {during}: {error}; "
                      f"`crisiscell crisis retry {crisis_id}` runs it again, "
                      f"`crisiscell crisis close {crisis_id}` ends it")
            error.args = (advice,)
            _mark_failed(service, crisis_id, during, error)
            error._crisis_failed = True  # type: ignore[attr-defined]
        if error is exc:
            raise
        raise error from exc


def _typed(exc: Exception) -> CrisisCellError:
    """The failure as one of our typed errors (one line on stderr, its exit code)."""
    if isinstance(exc, CrisisCellError):
        return exc
    if isinstance(exc, SQLAlchemyError):
        return StoreError(f"store error: {short_error(exc)}")
    if isinstance(exc, (sqlite3.Error, OSError)):
        return StoreError(f"store error: {exc}")
    return CrisisCellError(f"{type(exc).__name__}: {exc}")


def _mark_failed(service: CrisisService, crisis_id: str, during: str, error: Exception) -> None:
    """Status ``failed`` and a ``failed`` log entry; best effort, the store may be the fault."""
    with suppress(Exception):
        service.log.set_status(crisis_id, status="failed")
        service.log.append(crisis_id, "failed", str(error), author="crisiscell",
                           payload={"during": during, "error": type(error).__name__})


def refuse_failed(crisis: Crisis) -> None:
    """Refuse to decide on a failed crisis: it must be retried or closed first.

    Raises:
        InputError: the crisis is ``failed``.
    """
    if crisis.status == "failed":
        raise InputError(
            f"crisis {crisis.id} failed: retry it (crisiscell crisis retry {crisis.id}) "
            "or close it"
        )


def failure(service: CrisisService, crisis_id: str) -> str | None:
    """Why a ``failed`` crisis failed (its latest ``failed`` entry); None when it has not."""
    crisis = service.log.get(crisis_id)
    if crisis is None or crisis.status != "failed":
        return None
    failed = [e for e in service.log.entries(crisis_id) if e.kind == "failed"]
    return failed[-1].summary if failed else f"crisis {crisis_id} failed"


def _recorded(service: CrisisService, crisis_id: str) -> Suggestion | None:
    """The last suggestion the crisis log recorded (what the resumed run is diffed against)."""
    crisis = service.log.require(crisis_id)
    return service.suggestions.get(crisis.last_run_id) if crisis.last_run_id else None


def _reapply(service: CrisisService, crisis_id: str, config: Any, force: bool = False) -> bool:
    """Apply a logged decision a crash cut off, once it is surely not in flight."""
    from langgraph.types import Command

    latest = service.log.latest_decision(crisis_id)
    if latest is None or (not force and utcnow() - latest.at < STALE_DECISION):
        return False
    service.run(Command(resume=latest.payload), config)
    return True


def _replay_input(service: CrisisService, crisis_id: str) -> InputState:
    """The open's input again, from the logged event (it is the first entry)."""
    crisis = service.log.require(crisis_id)
    events = [e for e in service.log.entries(crisis_id) if e.kind == "event"]
    if not events:
        raise InputError(f"crisis {crisis_id} has no logged event to run again: close it")
    first = events[0]
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
