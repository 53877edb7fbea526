"""The incident archive in SQL: idempotent upserts, filters and a cheap revision hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, get_args, overload

from sqlalchemy import Engine, func, insert, or_
from sqlmodel import Session, col, select

from agent.domain import Incident
from agent.pack.models import Marking
from agent.rules.glossary import english_for
from agent.store.session import session_scope
from agent.store.tables import IncidentRow

MARKINGS: tuple[str, ...] = get_args(Marking)
"""Markings from the least to the most sensitive."""

_CHUNK = 500


@dataclass(frozen=True)
class UpsertResult:
    """How many incidents an upsert added, changed and left as they were."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.added + other.added, self.updated + other.updated, self.unchanged + other.unchanged
        )

    def __str__(self) -> str:
        return f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}"


def content_hash(incident: Incident) -> str:
    """A stable SHA-256 of the incident's content (key order does not matter)."""
    data = json.dumps(incident.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _search_text(incident: Incident) -> str:
    """The text ``search(text=...)`` looks into: title, summary, actions, resolution."""
    parts = [
        incident.title,
        incident.summary,
        *(a.text for a in incident.actions),
        incident.resolution,
        incident.outcome,
        *incident.lessons,
        *incident.tags,
    ]
    return "\n".join(parts)


def _columns(incident: Incident, digest: str, source: str) -> dict[str, Any]:
    """The column values of an incident's row (all but ``id``)."""
    return {
        "title": incident.title,
        "occurred_at": incident.occurred_at,
        "category": incident.category,
        "family": incident.category.split(".")[0],
        "site": incident.site,
        "marking": incident.marking,
        "language": incident.language,
        "content_hash": digest,
        "search_text": _search_text(incident),
        "payload": incident.model_dump_json(),
        "source_file": source,
        "loaded_at": datetime.now(UTC),
    }


def _to_incident(row: IncidentRow) -> Incident:
    """The incident a row stores."""
    return Incident.model_validate_json(row.payload)


class IncidentRepository:
    """Read and write :class:`~agent.domain.Incident` objects in the SQL store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def upsert(self, incidents: Iterable[Incident], source: str) -> UpsertResult:
        """Add new incidents and update changed ones (by content hash); idempotent.

        Args:
            incidents: the incidents to store; a later duplicate id wins.
            source: where they came from (a file name), kept in ``source_file``.
        """
        batch = list(incidents)
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        with session_scope(self.engine) as session:
            existing = self._rows_by_id(session, [i.id for i in batch])
            for incident in batch:
                counts[self._upsert_one(session, existing, incident, source)] += 1
        return UpsertResult(**counts)

    @staticmethod
    def _upsert_one(
        session: Session, existing: dict[str, IncidentRow], incident: Incident, source: str
    ) -> str:
        """Store one incident; return ``added``, ``updated`` or ``unchanged``."""
        digest = content_hash(incident)
        row = existing.get(incident.id)
        if row is None:
            row = IncidentRow(id=incident.id, **_columns(incident, digest, source))
            session.add(row)
            existing[incident.id] = row
            return "added"
        if row.content_hash == digest:
            return "unchanged"
        for name, value in _columns(incident, digest, source).items():
            setattr(row, name, value)
        session.add(row)
        return "updated"

    @staticmethod
    def _rows_by_id(session: Session, ids: Sequence[str]) -> dict[str, IncidentRow]:
        """The stored rows among ``ids``, queried in chunks to respect parameter limits."""
        rows: dict[str, IncidentRow] = {}
        unique = sorted(set(ids))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            for row in session.exec(select(IncidentRow).where(col(IncidentRow.id).in_(chunk))):
                rows[row.id] = row
        return rows

    def all(self, *, marking_max: str | None = None) -> list[Incident]:
        """Every incident, oldest first; ``marking_max`` drops more sensitive ones.

        Raises:
            ValueError: ``marking_max`` is not one of public, internal, restricted, secret.
        """
        query = select(IncidentRow)
        if marking_max is not None:
            if marking_max not in MARKINGS:
                raise ValueError(f"unknown marking {marking_max!r}; expected one of {MARKINGS}")
            allowed = MARKINGS[: MARKINGS.index(marking_max) + 1]
            query = query.where(col(IncidentRow.marking).in_(allowed))
        return self._fetch(query.order_by(col(IncidentRow.occurred_at), col(IncidentRow.id)))

    def get(self, incident_id: str) -> Incident | None:
        """The incident with this id, or ``None``."""
        with session_scope(self.engine) as session:
            row = session.get(IncidentRow, incident_id)
            return None if row is None else _to_incident(row)

    def count(self) -> int:
        """How many incidents the store holds."""
        with session_scope(self.engine) as session:
            return int(session.exec(select(func.count()).select_from(IncidentRow)).one())

    def search(
        self,
        *,
        family: str | None = None,
        site: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
        limit: int = 100,
    ) -> list[Incident]:
        """Incidents matching every filter given, most recent first.

        Args:
            family: category family, e.g. ``IND`` (case-insensitive).
            site: exact site identifier.
            since: earliest ``occurred_at`` (inclusive); naive means UTC.
            until: latest ``occurred_at`` (inclusive); naive means UTC.
            text: words that must all appear (case-insensitive) in the title,
                summary, actions, resolution, outcome, lessons or tags.
            limit: at most this many incidents.
        """
        query = select(IncidentRow)
        for condition in _conditions(family, site, since, until, text):
            query = query.where(condition)
        order = (col(IncidentRow.occurred_at).desc(), col(IncidentRow.id))
        return self._fetch(query.order_by(*order).limit(limit))

    def revision(self) -> str:
        """A short hash that changes whenever the archive does, from four aggregates.

        ``count``, the id bounds and the newest ``loaded_at``: an add or a delete changes
        the count, and every add or update stamps ``loaded_at`` with the time of the
        write, so the newest stamp moves. No row is read back into Python: each aggregate
        reads one end of an index (``ix_incidents_loaded_at`` since migration m005), so it
        stays milliseconds at 1,000,000. It misses only a write stamped no later than the
        newest earlier one (a clock set back) or a change made outside this repository.
        """
        aggregates = (
            func.count(),
            func.min(IncidentRow.id),  # one aggregate a query: SQLite reads the index end
            func.max(IncidentRow.id),
            func.max(IncidentRow.loaded_at),
        )
        with session_scope(self.engine) as session:
            values = [session.exec(select(a).select_from(IncidentRow)).one() for a in aggregates]
        key = "\0".join(v.isoformat() if isinstance(v, datetime) else str(v) for v in values)
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def stream(self, *, chunk: int = 5000) -> Iterator[Incident]:
        """Every incident in :meth:`all`'s order, decoded ``chunk`` rows at a time.

        For building an index over a large archive without holding every row at once.
        """
        order = (col(IncidentRow.occurred_at), col(IncidentRow.id))
        query = select(IncidentRow.payload).order_by(*order).execution_options(yield_per=chunk)
        with session_scope(self.engine) as session:
            for payload in session.exec(query):
                yield Incident.model_validate_json(payload)

    def take(self, ids: Sequence[str]) -> list[Incident]:
        """The incidents with these ids, in this order (one query a chunk); missing ones skipped."""
        found: dict[str, Incident] = {}
        unique = list(dict.fromkeys(ids))
        with session_scope(self.engine) as session:
            for start in range(0, len(unique), _CHUNK):
                chunk = unique[start : start + _CHUNK]
                query = select(IncidentRow.payload).where(col(IncidentRow.id).in_(chunk))
                for payload in session.exec(query):
                    incident = Incident.model_validate_json(payload)
                    found[incident.id] = incident
        return [found[i] for i in ids if i in found]

    def add_new(self, incidents: Iterable[Incident], source: str, *, batch: int = 5000) -> int:
        """Insert incidents known to be new, ``batch`` rows per statement (bulk loads).

        No lookup of existing rows and no ORM object per incident, unlike :meth:`upsert`.

        Raises:
            StoreError: an id is already stored (nothing of that batch is written).
        """
        table = IncidentRow.__table__  # type: ignore[attr-defined]
        added = 0
        rows: list[dict[str, Any]] = []
        for incident in incidents:
            rows.append({"id": incident.id, **_columns(incident, content_hash(incident), source)})
            if len(rows) >= batch:
                added += self._insert(table, rows)
                rows = []
        return added + (self._insert(table, rows) if rows else 0)

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> int:
        with session_scope(self.engine) as session:
            session.connection().execute(insert(table), rows)
        return len(rows)

    def _fetch(self, query: Any) -> list[Incident]:
        """Run a select of rows and decode their payloads."""
        with session_scope(self.engine) as session:
            return [_to_incident(row) for row in session.exec(query)]


class StoredIncidents(Sequence[Incident]):
    """The archive as a sequence of ids, each incident read from the store when asked for.

    What a loaded retrieval index searches at 1,000,000 incidents: the index holds the
    ids in its own order, and only the candidates of a query are decoded
    (:meth:`take`). ``prepare`` is applied to every incident read (the guard's
    re-check of archived model text).
    """

    def __init__(
        self,
        repository: IncidentRepository,
        ids: Sequence[str],
        prepare: Callable[[Incident], Incident] | None = None,
    ) -> None:
        self.repository = repository
        self.ids = ids
        self.prepare = prepare

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Incident: ...

    @overload
    def __getitem__(self, index: slice) -> list[Incident]: ...

    def __getitem__(self, index: int | slice) -> Incident | list[Incident]:
        if isinstance(index, slice):
            return self.take(range(len(self))[index])
        return self.take([range(len(self))[index]])[0]

    def __iter__(self) -> Iterator[Incident]:
        """Every incident in index order, read ``_CHUNK`` at a time (never one query each)."""
        for start in range(0, len(self), _CHUNK):
            yield from self.take(range(start, min(start + _CHUNK, len(self))))

    def take(self, positions: Sequence[int]) -> list[Incident]:
        """The incidents at these positions, in order, in one query a chunk.

        Raises:
            LookupError: an incident was deleted since the ids were read.
        """
        wanted = [self.ids[p] for p in positions]
        found = self.repository.take(wanted)
        if len(found) != len(wanted):
            raise LookupError("the archive changed under its index; reload it")
        return [self.prepare(i) for i in found] if self.prepare else found


def _conditions(
    family: str | None,
    site: str | None,
    since: datetime | None,
    until: datetime | None,
    text: str | None,
) -> list[Any]:
    """The SQL conditions of :meth:`IncidentRepository.search`."""
    conditions: list[Any] = []
    if family:
        conditions.append(col(IncidentRow.family) == family.upper())
    if site:
        conditions.append(col(IncidentRow.site) == site)
    if since is not None:
        conditions.append(col(IncidentRow.occurred_at) >= since)
    if until is not None:
        conditions.append(col(IncidentRow.occurred_at) <= until)
    for word in (text or "").split():
        spellings = [word, *english_for(word)]  # "incendie" also finds the English "fire"
        conditions.append(
            or_(
                *(
                    col(IncidentRow.search_text).ilike(f"%{_escape_like(w)}%", escape="\\")
                    for w in spellings
                )
            )
        )
    return conditions


def _escape_like(word: str) -> str:
    """Escape the LIKE wildcards of a user's word."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
