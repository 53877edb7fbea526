"""SQL tables of eval runs and their per-case results, and a small repository.

``eval_runs`` holds one row per run (suite, model, code version, configuration
and summary as JSON); ``eval_case_results`` one row per case and repeat, with
the full :class:`CaseResult` as JSON in ``payload``. Importing this module
registers them with the store as migration ``m003_eval_runs``
(:func:`agent.store.migrations.register_tables`): the store never imports evals.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, ForeignKey, Text
from sqlmodel import Field, SQLModel, col, select

from agent.errors import StoreError
from agent.settings import Settings
from agent.store.db import engine_for
from agent.store.migrations import register_tables
from agent.store.session import session_scope
from agent.store.tables import UtcDateTime
from evals.results import CaseResult


class EvalRunRow(SQLModel, table=True):
    """One eval run: identity, versions, configuration and summary (JSON)."""

    __tablename__ = "eval_runs"

    run_id: str = Field(primary_key=True)
    suite: str = Field(index=True)
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False, index=True))
    model: str = Field(index=True)
    code_version: str
    git_commit: str
    cases: int
    config: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))


class EvalCaseResultRow(SQLModel, table=True):
    """One case of one repeat of a run; ``payload`` is ``CaseResult.model_dump_json()``."""

    __tablename__ = "eval_case_results"

    run_id: str = Field(
        sa_column=Column(Text, ForeignKey("eval_runs.run_id", ondelete="CASCADE"), primary_key=True)
    )
    case_name: str = Field(primary_key=True)
    repeat: int = Field(default=0, primary_key=True)
    score: float
    payload: str = Field(sa_column=Column(Text, nullable=False))


EVAL_TABLES = (str(EvalRunRow.__tablename__), str(EvalCaseResultRow.__tablename__))
"""Table names the migration creates, in dependency order."""

register_tables("m003_eval_runs", *(SQLModel.metadata.tables[name] for name in EVAL_TABLES))


def save_run(engine: Engine, summary: dict[str, Any], results: list[CaseResult]) -> None:
    """Store a run's summary and every per-case result in one transaction."""
    created = datetime.fromisoformat(summary["created_at"])
    with session_scope(engine) as session:
        session.add(
            EvalRunRow(
                run_id=summary["run_id"],
                suite=summary["suite"],
                created_at=created,
                model=summary["model"],
                code_version=summary["code_version"],
                git_commit=summary["git_commit"],
                cases=summary["cases"],
                config=json.dumps(summary["config"]),
                summary=json.dumps(summary),
            )
        )
        session.flush()
        for r in results:
            session.add(
                EvalCaseResultRow(
                    run_id=summary["run_id"],
                    case_name=r.name,
                    repeat=r.repeat,
                    score=r.score,
                    payload=r.model_dump_json(),
                )
            )


def _engine(where: Engine | Settings) -> Engine:
    """The store's engine, given it or the settings that name it."""
    return where if isinstance(where, Engine) else engine_for(where)


def load_run(where: Engine | Settings, run_id: str) -> tuple[dict[str, Any], list[CaseResult]]:
    """A stored run's summary and results.

    Raises:
        StoreError: no run with that id.
    """
    with session_scope(_engine(where)) as session:
        row = session.get(EvalRunRow, run_id)
        if row is None:
            raise StoreError(f"no eval run {run_id!r} in the store")
        query = (
            select(EvalCaseResultRow)
            .where(EvalCaseResultRow.run_id == run_id)
            .order_by(col(EvalCaseResultRow.repeat), col(EvalCaseResultRow.case_name))
        )
        results = [CaseResult.model_validate_json(r.payload) for r in session.exec(query)]
        return json.loads(row.summary), results


def list_runs(
    where: Engine | Settings, suite: str | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """The most recent runs (newest first), as their summaries."""
    with session_scope(_engine(where)) as session:
        query = select(EvalRunRow).order_by(col(EvalRunRow.created_at).desc()).limit(limit)
        if suite:
            query = query.where(EvalRunRow.suite == suite)
        return [json.loads(r.summary) for r in session.exec(query)]
