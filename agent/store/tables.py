"""SQL tables of the store: the incident archive and the saved suggestions.

Each row keeps the full pydantic model as JSON in ``payload`` (the source of
truth) next to a few indexed columns used for filtering. Datetime columns hold
naive UTC, so SQLite and PostgreSQL store and compare them the same way
whatever the sqlmodel version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, Table, Text, TypeDecorator
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import Field, SQLModel


class UtcDateTime(TypeDecorator[datetime]):
    """Store datetimes as naive UTC; read them back timezone-aware (UTC).

    Naive values given to it are taken as UTC already.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware -> naive UTC; naive passes unchanged."""
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Naive UTC -> aware UTC."""
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def create_if_missing(conn: Connection, table: Table) -> None:
    """``CREATE TABLE/INDEX IF NOT EXISTS``: safe when two processes race to create."""
    conn.execute(CreateTable(table, if_not_exists=True))
    for index in table.indexes:
        conn.execute(CreateIndex(index, if_not_exists=True))


def _utc_column(*, index: bool = False) -> Any:
    """A non-null UTC datetime column."""
    return Field(sa_column=Column(UtcDateTime(), nullable=False, index=index))


class IncidentRow(SQLModel, table=True):
    """One historical incident; ``payload`` is ``Incident.model_dump_json()``."""

    __tablename__ = "incidents"

    id: str = Field(primary_key=True)
    title: str
    occurred_at: datetime = _utc_column(index=True)
    category: str = Field(index=True)
    family: str = Field(index=True)
    site: str | None = Field(default=None, index=True)
    marking: str
    language: str
    content_hash: str
    search_text: str = Field(sa_column=Column(Text, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    source_file: str
    loaded_at: datetime = _utc_column(index=True)  # revision() reads its max


class SuggestionRow(SQLModel, table=True):
    """One suggestion produced by a run; ``payload`` is ``Suggestion.model_dump_json()``."""

    __tablename__ = "suggestions"

    run_id: str = Field(primary_key=True)
    created_at: datetime = _utc_column(index=True)
    event_text: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(index=True)
    severity: str
    model: str
    pack_hash: str
    code_version: str
    degraded: bool
    payload: str = Field(sa_column=Column(Text, nullable=False))
