"""Notification clocks: what a crisis still owes, what is overdue, what an operator has done.

The applicable SOPs say who must be told and by when (``Suggestion.notifications``).
A notification is done only when an operator says so: a ``notified`` entry in the
append-only crisis log, with who and when. Until then an unconditional notification
past its deadline counts as overdue, whatever else happened.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import insert, literal, or_, select
from sqlmodel import Session

from agent.domain import NotificationDue, utcnow
from agent.errors import InputError
from agent.store.crisis_log import CrisisLog, CrisisRow, LogEntry, LogEntryRow, LogKind

if TYPE_CHECKING:
    from agent.crisis.service import CrisisService

NOTIFIED: LogKind = "notified"
"""The crisis-log kind that records a notification as done."""
ClockState = Literal["overdue", "due", "conditional", "done"]
ORDER: dict[ClockState, int] = {"overdue": 0, "due": 1, "conditional": 2, "done": 3}
"""Overdue first (a crisis room reads the top line), done last."""


@dataclass(frozen=True)
class NoticeClock:
    """One notification against the clock: its state, time left (negative: late), who did it."""

    notice: NotificationDue
    state: ClockState
    left: timedelta
    done: LogEntry | None = None

    @property
    def recipient(self) -> str:
        """The recipient's id, as the SOPs name it (``fire_rescue``)."""
        return self.notice.to


@dataclass(frozen=True)
class Marked:
    """The log entry that records a notification; ``new`` is False when it was already there."""

    entry: LogEntry
    new: bool


def recipient_key(text: str) -> str:
    """``fire_rescue`` from ``Fire rescue`` or ``fire-rescue``: how operators type it."""
    return "_".join(text.strip().casefold().replace("-", " ").split())


def first_by(entries: Iterable[LogEntry], kind: str, field: str) -> dict[str, LogEntry]:
    """The first entry of ``kind`` for each value of its payload ``field``.

    Later ones change nothing: who was notified, which step was done.
    """
    done: dict[str, LogEntry] = {}
    for entry in entries:
        value = entry.payload.get(field) if entry.kind == kind else None
        if isinstance(value, str):
            done.setdefault(value, entry)
    return done


def done_by_recipient(entries: Iterable[LogEntry]) -> dict[str, LogEntry]:
    """The first ``notified`` entry of each recipient."""
    return first_by(entries, NOTIFIED, "to")


def clocks(
    notices: Sequence[NotificationDue], entries: Iterable[LogEntry], now: datetime
) -> list[NoticeClock]:
    """One clock per recipient (its earliest deadline), most urgent first."""
    done = done_by_recipient(entries)
    earliest: dict[str, NotificationDue] = {}
    for n in sorted(notices, key=lambda n: (n.conditional, n.due_at)):
        earliest.setdefault(n.to, n)
    out = [_clock(n, done.get(n.to), now) for n in earliest.values()]
    return sorted(out, key=lambda c: (ORDER[c.state], c.left))


def _clock(n: NotificationDue, done: LogEntry | None, now: datetime) -> NoticeClock:
    left = n.due_at - now
    state: ClockState
    if done is not None:
        state = "done"
    elif n.conditional:
        state = "conditional"
    else:
        state = "overdue" if left < timedelta(0) else "due"
    return NoticeClock(n, state, left, done)


def overdue(items: Iterable[NoticeClock]) -> list[NoticeClock]:
    """The clocks past their deadline and not done."""
    return [c for c in items if c.state == "overdue"]


def mark_notified(
    service: CrisisService, crisis_id: str, recipient: str, *, author: str | None = None
) -> Marked:
    """Log that ``recipient`` was notified, once: a second call returns the first entry.

    Raises:
        InputError: no such crisis, closed, no suggestion yet, or not a recipient it owes.
        NotVisible: the crisis is above the caller's clearance.
    """
    current = service.current(crisis_id)
    if current.crisis.status == "closed":
        raise InputError(f"crisis {crisis_id} is closed")
    owed = current.suggestion.notifications if current.suggestion else []
    key = recipient_key(recipient)
    notice = next((n for n in sorted(owed, key=lambda n: n.due_at) if n.to == key), None)
    if notice is None:
        names = ", ".join(sorted({n.to for n in owed})) or "none"
        raise InputError(f"crisis {crisis_id} owes no notification to '{recipient}' ({names})")
    already = done_by_recipient(service.entries(crisis_id)).get(key)
    if already is not None:  # the common case, without a write
        return Marked(already, new=False)
    payload = {"sop_id": notice.sop_id, "due_at": notice.due_at.isoformat()}
    return append_once(service.log, crisis_id, NOTIFIED, ("to", key), _summary(notice, utcnow()),
                       author=service.author(author), payload=payload)


def append_once(
    log: CrisisLog, crisis_id: str, kind: LogKind, key: tuple[str, str], summary: str,
    *, author: str, payload: dict[str, Any],
) -> Marked:
    """Append a ``kind`` entry whose payload starts with ``key``, unless one is already logged.

    Compare-and-set, like :meth:`CrisisLog.decide`: the check and the write are one
    ``INSERT ... SELECT ... WHERE NOT EXISTS`` statement (PostgreSQL also locks the crisis
    row first), so of two operators marking the same thing at once exactly one writes.
    """
    field, value = key
    body = json.dumps({field: value, **payload}, default=str)
    table = LogEntryRow.__table__  # type: ignore[attr-defined]
    row = LogEntryRow(crisis_id=crisis_id, at=utcnow(), author=author, kind=kind,
                      summary=summary, payload=body).model_dump(exclude={"id"})
    values = [literal(v, type_=table.c[k].type).label(k) for k, v in row.items()]
    alone = json.dumps({field: value})
    same = select(table.c.id).where(
        table.c.crisis_id == crisis_id, table.c.kind == kind,
        or_(table.c.payload == alone,
            table.c.payload.startswith(alone[:-1] + ", ", autoescape=True)),
    )
    statement = insert(table).from_select(list(row), select(*values).where(~same.exists()))
    with Session(log.engine) as session:
        if session.get_bind().dialect.name == "postgresql":  # serialise markers on the row
            crises = CrisisRow.__table__  # type: ignore[attr-defined]
            session.execute(select(crises.c.id).where(crises.c.id == crisis_id).with_for_update())
        new_id = session.execute(statement.returning(table.c.id)).scalar()
        session.commit()
    return Marked(_logged(log, crisis_id, kind, key, new_id), new=new_id is not None)


def _logged(
    log: CrisisLog, crisis_id: str, kind: LogKind, key: tuple[str, str], new_id: int | None
) -> LogEntry:
    """The entry just written (``new_id``), else the first one that holds ``key``."""
    field, value = key
    for entry in log.entries(crisis_id):
        if entry.id == new_id or (new_id is None and entry.kind == kind
                                  and entry.payload.get(field) == value):
            return entry
    raise InputError(f"crisis {crisis_id}: the {kind} entry for {value} cannot be read back")


def _summary(n: NotificationDue, at: datetime) -> str:
    late = at - n.due_at
    when = f"{span(late)} after the deadline" if late > timedelta(0) else "within the deadline"
    return f"notified {n.to.replace('_', ' ')} ({n.sop_id}, {when})"


def span(delta: timedelta) -> str:
    """``1 h 05``, ``12 min``, ``2 d 3 h``: a length of time for a crisis room, sign dropped."""
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        h, m = divmod(minutes, 60)
        return f"{h} h {m:02d}"
    d, rest = divmod(minutes, 1440)
    return f"{d} d" + (f" {rest // 60} h" if rest // 60 else "")
