from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from agent.domain import Category, Event, Lineage, Severity, Suggestion
from agent.store.db import init_db, make_engine
from agent.store.suggestions import SuggestionRepository


def suggestion(run_id: str, minutes: int = 0, degraded: bool = False) -> Suggestion:
    created = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    return Suggestion(
        event=Event(text="Ammonia smell in hall 3", reported_at=created),
        category=Category(code="IND.toxic_release", confidence=0.9),
        severity=Severity(level="S2"),
        no_precedent=True,
        degraded=degraded,
        lineage=Lineage(
            run_id=run_id,
            created_at=created,
            code_version="0.1.0",
            pack_hash="abc",
            taxonomy_version="1",
            severity_scale_version="1",
            model="offline",
        ),
    )


@pytest.fixture
def repo() -> Iterator[SuggestionRepository]:
    engine: Engine = make_engine("sqlite://")
    init_db(engine)
    yield SuggestionRepository(engine)
    engine.dispose()


def test_save_and_get_roundtrip(repo: SuggestionRepository) -> None:
    original = suggestion("run-1")
    repo.save(original)
    assert repo.get("run-1") == original
    assert repo.get("run-2") is None


def test_saving_again_replaces(repo: SuggestionRepository) -> None:
    repo.save(suggestion("run-1"))
    repo.save(suggestion("run-1", degraded=True))
    stored = repo.get("run-1")
    assert stored is not None and stored.degraded
    assert len(repo.recent()) == 1


def test_recent_is_newest_first_and_limited(repo: SuggestionRepository) -> None:
    for n in range(5):
        repo.save(suggestion(f"run-{n}", minutes=n))
    assert [s.lineage.run_id for s in repo.recent(limit=3)] == ["run-4", "run-3", "run-2"]
