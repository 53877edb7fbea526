"""Saved suggestions: every answer crisiscell gave, kept whole for audit and replay."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import col, select

from agent.domain import Suggestion
from agent.store.session import session_scope
from agent.store.tables import SuggestionRow


def _to_row(suggestion: Suggestion) -> SuggestionRow:
    """The row of a suggestion; the lineage gives its id, time and provenance."""
    lineage = suggestion.lineage
    return SuggestionRow(
        run_id=lineage.run_id,
        created_at=lineage.created_at,
        event_text=suggestion.event.text,
        category=suggestion.category.code,
        severity=suggestion.severity.level,
        model=lineage.model,
        pack_hash=lineage.pack_hash,
        code_version=lineage.code_version,
        degraded=suggestion.degraded,
        payload=suggestion.model_dump_json(),
    )


class SuggestionRepository:
    """Write and read :class:`~agent.domain.Suggestion` objects by run id."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, suggestion: Suggestion) -> None:
        """Store a suggestion; saving the same run id again replaces it."""
        with session_scope(self.engine) as session:
            session.merge(_to_row(suggestion))

    def get(self, run_id: str) -> Suggestion | None:
        """The suggestion of this run, or ``None``."""
        with session_scope(self.engine) as session:
            row = session.get(SuggestionRow, run_id)
            return None if row is None else Suggestion.model_validate_json(row.payload)

    def recent(self, limit: int = 20) -> list[Suggestion]:
        """The latest suggestions, newest first."""
        query = (
            select(SuggestionRow)
            .order_by(col(SuggestionRow.created_at).desc(), col(SuggestionRow.run_id))
            .limit(limit)
        )
        with session_scope(self.engine) as session:
            return [Suggestion.model_validate_json(row.payload) for row in session.exec(query)]
