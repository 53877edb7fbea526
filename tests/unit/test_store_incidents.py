from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from agent.domain import ActionTaken, Incident
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository, UpsertResult, content_hash


def incident(**overrides: Any) -> Incident:
    data: dict[str, Any] = {
        "id": "IND-1",
        "title": "Ammonia leak in hall 3",
        "occurred_at": datetime(2020, 5, 1, 12, 0, tzinfo=UTC),
        "site": "PLANT-A",
        "category": "IND.toxic_release",
        "severity": "S2",
        "summary": "NH3 detectors alarmed after a gasket failure.",
        "actions": [ActionTaken(text="Evacuated hall 3"), ActionTaken(text="Closed the valve")],
        "resolution": "Gasket replaced.",
        "outcome": "No injury.",
        "source": "test",
    }
    data.update(overrides)
    return Incident.model_validate(data)


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = make_engine("sqlite://")
    init_db(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def repo(engine: Engine) -> IncidentRepository:
    return IncidentRepository(engine)


def test_upsert_twice_adds_nothing_the_second_time(repo: IncidentRepository) -> None:
    batch = [incident(id="A"), incident(id="B", category="NAT.flood")]
    assert repo.upsert(batch, source="f.yaml") == UpsertResult(added=2)
    assert repo.upsert(batch, source="f.yaml") == UpsertResult(unchanged=2)
    assert repo.count() == 2


def test_changed_content_is_updated(repo: IncidentRepository) -> None:
    repo.upsert([incident(id="A"), incident(id="B")], source="f.yaml")
    revision = repo.revision()
    changed = incident(id="A", outcome="One minor injury.")
    result = repo.upsert([changed, incident(id="B"), incident(id="C")], source="f.yaml")
    assert result == UpsertResult(added=1, updated=1, unchanged=1)
    assert str(result) == "added 1, updated 1, unchanged 1"
    stored = repo.get("A")
    assert stored is not None and stored.outcome == "One minor injury."
    assert repo.count() == 3
    assert repo.revision() != revision


def test_roundtrip_keeps_the_whole_incident(repo: IncidentRepository) -> None:
    original = incident(lessons=["Keep spares"], tags=["nh3"], secondary=["ENV.pollution"])
    repo.upsert([original], source="f.yaml")
    assert repo.get("IND-1") == original
    assert repo.get("missing") is None


def test_duplicate_ids_in_one_batch_last_wins(repo: IncidentRepository) -> None:
    result = repo.upsert([incident(id="A"), incident(id="A", title="Second")], source="f")
    assert result == UpsertResult(added=1, updated=1)
    stored = repo.get("A")
    assert stored is not None and stored.title == "Second"


def test_content_hash_ignores_nothing_but_identity() -> None:
    assert content_hash(incident()) == content_hash(incident())
    assert content_hash(incident()) != content_hash(incident(summary="Other."))


def test_revision_is_stable_and_cheap(repo: IncidentRepository) -> None:
    empty = repo.revision()
    repo.upsert([incident(id="A")], source="f")
    once = repo.revision()
    repo.upsert([incident(id="A")], source="f")
    assert repo.revision() == once != empty
    assert len(once) == 16


def test_all_filters_by_marking(repo: IncidentRepository) -> None:
    repo.upsert(
        [
            incident(id="P", marking="public", occurred_at=datetime(2019, 1, 1, tzinfo=UTC)),
            incident(id="I", marking="internal", occurred_at=datetime(2020, 1, 1, tzinfo=UTC)),
            incident(id="S", marking="secret", occurred_at=datetime(2021, 1, 1, tzinfo=UTC)),
        ],
        source="f",
    )
    assert [i.id for i in repo.all()] == ["P", "I", "S"]
    assert [i.id for i in repo.all(marking_max="internal")] == ["P", "I"]
    assert [i.id for i in repo.all(marking_max="public")] == ["P"]
    with pytest.raises(ValueError, match="unknown marking"):
        repo.all(marking_max="top")


@pytest.fixture
def filled(repo: IncidentRepository) -> IncidentRepository:
    repo.upsert(
        [
            incident(id="A", occurred_at=datetime(2019, 3, 1, tzinfo=UTC)),
            incident(
                id="B",
                category="IND.fire",
                site="PLANT-B",
                title="Fire in the 50% zone",
                occurred_at=datetime(2020, 3, 1, tzinfo=UTC),
            ),
            incident(
                id="C",
                category="NAT.flood",
                site=None,
                summary="River overflowed",
                occurred_at=datetime(2021, 3, 1, tzinfo=UTC),
            ),
        ],
        source="f",
    )
    return repo


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["C", "B", "A"]),
        ({"family": "ind"}, ["B", "A"]),
        ({"family": "NAT"}, ["C"]),
        ({"site": "PLANT-B"}, ["B"]),
        ({"since": datetime(2020, 1, 1, tzinfo=UTC)}, ["C", "B"]),
        ({"until": datetime(2020, 3, 1)}, ["B", "A"]),
        ({"text": "river"}, ["C"]),
        ({"text": "EVACUATED gasket"}, ["C", "B", "A"]),
        ({"text": "evacuated river"}, ["C"]),
        ({"text": "fire river"}, []),
        ({"text": "50%"}, ["B"]),
        ({"text": "%"}, ["B"]),
        ({"text": "_"}, []),
        ({"limit": 1}, ["C"]),
    ],
)
def test_search(filled: IncidentRepository, filters: dict[str, Any], expected: list[str]) -> None:
    assert [i.id for i in filled.search(**filters)] == expected


def test_naive_and_aware_times_are_stored_as_utc(repo: IncidentRepository) -> None:
    repo.upsert([incident(id="N", occurred_at=datetime(2020, 1, 1, 10, 0))], source="f")
    stored = repo.get("N")
    assert stored is not None and stored.occurred_at == datetime(2020, 1, 1, 10, 0)
    found = repo.search(since=datetime(2020, 1, 1, 9, 59, tzinfo=UTC))
    assert [i.id for i in found] == ["N"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("fuite", ["IND-1"]),  # the French word finds the English "leak"
        ("Fuite ammoniac", ["IND-1"]),  # each word: as written or in English
        ("incendie", []),
        ("leak", ["IND-1"]),  # English as before
        ("fuite valve", ["IND-1"]),
        ("fuite inondation", []),  # every word must match
    ],
)
def test_search_in_french_finds_english_incidents(
    repo: IncidentRepository, text: str, found: list[str]
) -> None:
    repo.upsert([incident()], "test")
    assert [i.id for i in repo.search(text=text)] == found
