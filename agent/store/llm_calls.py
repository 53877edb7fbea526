"""The LLM call log: every request to a model, with its answer or error, tokens and latency.

Written by :class:`agent.llm.factory.SqlRecorder` (the adapter only sees a
callback); created by the ``m002_llm_calls`` migration of :mod:`agent.store.migrations`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Engine, Text
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from agent.llm.calls import LLMCall
from agent.store.session import session_scope
from agent.store.tables import UtcDateTime


class LLMCallRow(SQLModel, table=True):
    """One model call; ``response`` is the raw answer (JSON), ``error`` why there was none."""

    __tablename__ = "llm_calls"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(index=True)
    node: str
    model: str = Field(index=True)
    prompt_id: str
    prompt_hash: str
    request: str = Field(sa_column=Column(Text, nullable=False))
    response: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))


def _to_call(row: LLMCallRow) -> LLMCall:
    return LLMCall.model_validate(row.model_dump(exclude={"id"}))


class LLMCallRepository:
    """Append and read :class:`~agent.llm.calls.LLMCall` records."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, call: LLMCall) -> None:
        """Append one call."""
        self.add_all([call])

    def add_all(self, calls: list[LLMCall]) -> None:
        """Append calls in one transaction."""
        with session_scope(self.engine) as session:
            session.add_all([LLMCallRow.model_validate(c.model_dump()) for c in calls])

    def for_run(self, run_id: str) -> list[LLMCall]:
        """The calls of one run, oldest first."""
        query = select(LLMCallRow).where(LLMCallRow.run_id == run_id).order_by(col(LLMCallRow.id))
        return self._query(query)

    def recent(self, limit: int = 50) -> list[LLMCall]:
        """The latest calls, newest first."""
        query = select(LLMCallRow).order_by(col(LLMCallRow.id).desc()).limit(limit)
        return self._query(query)

    def _query(self, query: SelectOfScalar[LLMCallRow]) -> list[LLMCall]:
        with session_scope(self.engine) as session:
            return [_to_call(row) for row in session.exec(query)]
