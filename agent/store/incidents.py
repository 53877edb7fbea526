"""The incident archive in SQL: idempotent upserts, filters and a cheap revision hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, get_args

from sqlalchemy import Engine, func, or_
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
        """A short hash of every id and content hash: changes whenever the archive does."""
        digest = hashlib.sha256()
        query = select(IncidentRow.id, IncidentRow.content_hash).order_by(col(IncidentRow.id))
        with session_scope(self.engine) as session:
            for incident_id, row_hash in session.exec(query):
                digest.update(f"{incident_id}\0{row_hash}\n".encode())
        return digest.hexdigest()[:16]

    def _fetch(self, query: Any) -> list[Incident]:
        """Run a select of rows and decode their payloads."""
        with session_scope(self.engine) as session:
            return [_to_incident(row) for row in session.exec(query)]


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
