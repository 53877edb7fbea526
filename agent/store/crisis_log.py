"""The crisis register and the append-only crisis log (main courante, ICS-214).

Nothing here edits or deletes a log entry: the repository only appends and reads,
and database triggers refuse UPDATE and DELETE on the log table, so even a stray
SQL statement cannot rewrite history. A correction is a new entry that references
the entry it corrects.

Decisions are compare-and-set: :meth:`CrisisLog.decide` writes a decision only if
the latest decision of the crisis is still the one the caller based it on (its
*decision version*), in one ``INSERT ... SELECT ... WHERE`` statement, so of two
operators deciding at once exactly one wins and the other gets
:class:`~agent.errors.DecisionConflict` naming who decided first.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import Field as PydanticField
from sqlalchemy import Column, Engine, Text, func, insert, literal, text, update
from sqlalchemy.engine import Connection
from sqlmodel import Field, Session, SQLModel, select

from agent.domain import Model, utcnow
from agent.errors import DecisionConflict, InputError
from agent.store.tables import _utc_column, create_if_missing

LogKind = Literal[
    "event", "update", "suggestion", "decision", "note", "correction", "close", "blocked",
    "notified", "failed", "task_done",
]
DECISION_KINDS = ("decision", "close")
"""Entries that change who decided what; notes and corrections never conflict."""


class CrisisRow(SQLModel, table=True):
    """One crisis thread."""

    __tablename__ = "crises"

    id: str = Field(primary_key=True)
    title: str
    site: str | None = None
    status: str = Field(default="open", index=True)
    opened_at: datetime = _utc_column(index=True)
    opened_by: str
    clearance: str
    last_run_id: str | None = None
    incident_id: str | None = None


class LogEntryRow(SQLModel, table=True):
    """One entry of the crisis log; never updated, never deleted."""

    __tablename__ = "crisis_log"

    id: int | None = Field(default=None, primary_key=True)
    crisis_id: str = Field(index=True, foreign_key="crises.id")
    at: datetime = _utc_column(index=True)
    author: str
    kind: str
    summary: str = Field(sa_column=Column(Text, nullable=False))
    rationale: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    run_id: str | None = None
    corrects: int | None = None
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class LogEntry(Model):
    """A log entry as callers see it."""

    id: int
    crisis_id: str
    at: datetime
    author: str
    kind: LogKind
    summary: str
    rationale: str | None = None
    run_id: str | None = None
    corrects: int | None = None
    payload: dict[str, Any] = PydanticField(default_factory=dict)


class Crisis(Model):
    """A crisis as callers see it."""

    id: str
    title: str
    site: str | None
    status: Literal["open", "closed", "failed"]
    opened_at: datetime
    opened_by: str
    clearance: str
    last_run_id: str | None = None
    incident_id: str | None = None


APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS crisis_log_no_update BEFORE UPDATE ON crisis_log "
    "BEGIN SELECT RAISE(ABORT, 'crisis_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS crisis_log_no_delete BEFORE DELETE ON crisis_log "
    "BEGIN SELECT RAISE(ABORT, 'crisis_log is append-only'); END",
]
APPEND_ONLY_POSTGRES = [
    "CREATE OR REPLACE FUNCTION crisis_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'crisis_log is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS crisis_log_append_only ON crisis_log",
    "CREATE TRIGGER crisis_log_append_only BEFORE UPDATE OR DELETE ON crisis_log "
    "FOR EACH ROW EXECUTE FUNCTION crisis_log_append_only()",
]


def create_tables(conn: Connection) -> None:
    """Create both tables and the append-only triggers (used by migration m004)."""
    for name in ("crises", "crisis_log"):
        create_if_missing(conn, SQLModel.metadata.tables[name])
    statements = APPEND_ONLY_POSTGRES if conn.dialect.name == "postgresql" else APPEND_ONLY_SQLITE
    for statement in statements:
        conn.execute(text(statement))


class CrisisLog:
    """Append and read crises and their log; there is deliberately no edit or delete."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open(self, crisis: Crisis) -> Crisis:
        """Register a new crisis; its id must be new."""
        with Session(self.engine) as session:
            if session.get(CrisisRow, crisis.id) is not None:
                raise InputError(f"crisis {crisis.id} already exists")
            session.add(CrisisRow(**crisis.model_dump()))
            session.commit()
        return crisis

    def get(self, crisis_id: str) -> Crisis | None:
        """The crisis, or None."""
        with Session(self.engine) as session:
            row = session.get(CrisisRow, crisis_id)
            return Crisis.model_validate(row.model_dump()) if row else None

    def require(self, crisis_id: str) -> Crisis:
        """The crisis, or an InputError naming it."""
        crisis = self.get(crisis_id)
        if crisis is None:
            raise InputError(f"no crisis with id '{crisis_id}'")
        return crisis

    def crises(self, status: str | None = None) -> list[Crisis]:
        """All crises, newest first."""
        with Session(self.engine) as session:
            query = select(CrisisRow).order_by(CrisisRow.opened_at.desc())  # type: ignore[attr-defined]
            if status:
                query = query.where(CrisisRow.status == status)
            return [Crisis.model_validate(r.model_dump()) for r in session.exec(query)]

    def set_status(self, crisis_id: str, **values: Any) -> None:
        """Update the register row (status, last run, incident id); the log is untouched."""
        with Session(self.engine) as session:
            row = session.get(CrisisRow, crisis_id)
            if row is None:
                raise InputError(f"no crisis with id '{crisis_id}'")
            for key, value in values.items():
                setattr(row, key, value)
            session.add(row)
            session.commit()

    def reopen_failed(self, crisis_id: str) -> bool:
        """Set a ``failed`` crisis back to ``open``, compare-and-set: of two retries, one wins.

        Returns False when the crisis was not ``failed`` any more (someone retried first).
        """
        table = CrisisRow.__table__  # type: ignore[attr-defined]
        statement = (
            update(table)
            .where(table.c.id == crisis_id, table.c.status == "failed")
            .values(status="open")
        )
        with Session(self.engine) as session:
            changed = session.exec(statement).rowcount
            session.commit()
        return bool(changed)

    def append(
        self,
        crisis_id: str,
        kind: LogKind,
        summary: str,
        *,
        author: str,
        rationale: str | None = None,
        run_id: str | None = None,
        corrects: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> LogEntry:
        """Append one entry; a correction must reference an entry of the same crisis."""
        with Session(self.engine) as session:
            if corrects is not None:
                old = session.get(LogEntryRow, corrects)
                if old is None or old.crisis_id != crisis_id:
                    raise InputError(f"entry {corrects} is not in crisis {crisis_id}")
            row = LogEntryRow(
                crisis_id=crisis_id,
                at=utcnow(),
                author=author,
                kind=kind,
                summary=summary,
                rationale=rationale,
                run_id=run_id,
                corrects=corrects,
                payload=json.dumps(payload or {}, default=str),
            )
            session.add(row)
            session.commit()
            session.refresh(row)
            return _entry(row)

    def decision_version(self, crisis_id: str) -> int:
        """The id of the latest decision entry of a crisis (0 before any decision)."""
        with Session(self.engine) as session:
            return int(session.exec(_latest_decision(crisis_id)).one() or 0)

    def latest_decision(self, crisis_id: str) -> LogEntry | None:
        """The latest decision (or close) entry of a crisis."""
        version = self.decision_version(crisis_id)
        with Session(self.engine) as session:
            row = session.get(LogEntryRow, version) if version else None
            return _entry(row) if row else None

    def version_for(self, crisis_id: str, applied_at: datetime | None) -> int:
        """The decision version a caller may decide on, given the last decision its state applied.

        A logged decision that the graph state does not show yet is still being applied
        by another operator's run: deciding now would be deciding on a stale state.

        Raises:
            DecisionConflict: the latest logged decision is not the one ``applied_at`` names.
        """
        latest = self.latest_decision(crisis_id)
        if latest is None and applied_at is None:
            return 0
        logged = latest.payload.get("at") if latest else None
        if latest is None or applied_at is None or not _same_time(logged, applied_at):
            raise self._conflict(crisis_id)
        return latest.id

    def decide(
        self, crisis_id: str, expected: int, kind: LogKind, summary: str, **fields: Any
    ) -> LogEntry:
        """Append a decision iff the crisis's decision version is still ``expected``.

        Raises:
            DecisionConflict: another decision was written since; the message says by whom.
        """
        table = LogEntryRow.__table__  # type: ignore[attr-defined]
        row = _row(crisis_id, kind, summary, **fields).model_dump(exclude={"id"})
        values = [literal(v, type_=table.c[k].type).label(k) for k, v in row.items()]
        guard = func.coalesce(_latest_decision(crisis_id).scalar_subquery(), 0) == expected
        statement = insert(table).from_select(list(row), select(*values).where(guard))
        with Session(self.engine) as session:
            if session.get_bind().dialect.name == "postgresql":  # serialise deciders on the row
                session.exec(select(CrisisRow).where(CrisisRow.id == crisis_id).with_for_update())
            result = session.exec(statement.returning(table.c.id))
            new_id = result.scalar()
            session.commit()
        if new_id is None:
            raise self._conflict(crisis_id)
        with Session(self.engine) as session:
            return _entry(session.get(LogEntryRow, new_id))  # type: ignore[arg-type]

    def _conflict(self, crisis_id: str) -> DecisionConflict:
        """The conflict error, naming the decision that came first."""
        first = self.latest_decision(crisis_id)
        who = f"{first.author} at {first.at:%H:%M:%S} ({first.summary})" if first else "someone"
        return DecisionConflict(
            f"crisis {crisis_id}: {who} decided first; look at the crisis again "
            "(crisiscell crisis show) before deciding"
        )

    def entries(self, crisis_id: str) -> list[LogEntry]:
        """Every entry of a crisis, in the order it was written."""
        with Session(self.engine) as session:
            query = select(LogEntryRow).where(LogEntryRow.crisis_id == crisis_id)
            rows = session.exec(query.order_by(LogEntryRow.id))  # type: ignore[arg-type]
            return [_entry(r) for r in rows]


def _same_time(logged: object, applied_at: datetime) -> bool:
    """Whether a decision's logged ``at`` (ISO text) is ``applied_at``."""
    try:
        return datetime.fromisoformat(str(logged)) == applied_at
    except ValueError:
        return False


def _latest_decision(crisis_id: str) -> Any:
    """``SELECT max(id)`` of the decision entries of a crisis."""
    return select(func.max(LogEntryRow.id)).where(
        LogEntryRow.crisis_id == crisis_id,
        LogEntryRow.kind.in_(DECISION_KINDS),  # type: ignore[attr-defined]
    )


def _row(
    crisis_id: str, kind: LogKind, summary: str, *, author: str, rationale: str | None = None,
    run_id: str | None = None, payload: dict[str, Any] | None = None,
) -> LogEntryRow:
    """A new log row, stamped now."""
    return LogEntryRow(
        crisis_id=crisis_id, at=utcnow(), author=author, kind=kind, summary=summary,
        rationale=rationale, run_id=run_id, payload=json.dumps(payload or {}, default=str),
    )


def _entry(row: LogEntryRow) -> LogEntry:
    data = row.model_dump()
    data["payload"] = json.loads(row.payload or "{}")
    return LogEntry.model_validate(data)
