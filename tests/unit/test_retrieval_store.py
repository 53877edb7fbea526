"""What the persisted index reads from the store: the cheap revision, streams, bulk adds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from agent.errors import StoreError
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository, StoredIncidents
from tests.fakes import incident
from tests.unit.test_retrieval import ARCHIVE


@pytest.fixture
def repo() -> Iterator[IncidentRepository]:
    engine: Engine = make_engine("sqlite://")
    init_db(engine)
    yield IncidentRepository(engine)
    engine.dispose()


def test_the_revision_moves_on_add_and_update_not_on_an_idempotent_upsert(
    repo: IncidentRepository,
) -> None:
    empty = repo.revision()
    repo.upsert(ARCHIVE, source="test")
    loaded = repo.revision()
    repo.upsert(ARCHIVE, source="test")
    assert repo.revision() == loaded != empty
    repo.upsert([ARCHIVE[2].model_copy(update={"title": "Renamed"})], source="test")
    updated = repo.revision()
    assert updated != loaded
    repo.add_new([incident("INC-9", "New", "A new one.", "NAT.flood")], source="test")
    assert repo.revision() not in (empty, loaded, updated)


def test_add_new_inserts_in_batches_and_refuses_a_stored_id(repo: IncidentRepository) -> None:
    assert repo.add_new(ARCHIVE, source="bulk", batch=3) == len(ARCHIVE)
    assert repo.all() == sorted(ARCHIVE, key=lambda i: (i.occurred_at, i.id))
    with pytest.raises(StoreError):
        repo.add_new([ARCHIVE[0]], source="bulk")
    assert repo.count() == len(ARCHIVE)


def test_stream_reads_every_incident_in_the_order_of_all(repo: IncidentRepository) -> None:
    repo.upsert(ARCHIVE, source="test")
    assert list(repo.stream(chunk=2)) == repo.all()


def test_stored_incidents_read_only_what_is_asked_in_the_order_asked(
    repo: IncidentRepository,
) -> None:
    repo.upsert(ARCHIVE, source="test")
    ids = [i.id for i in ARCHIVE]
    stored = StoredIncidents(repo, ids)
    assert len(stored) == len(ARCHIVE)
    assert [i.id for i in stored.take([3, 0])] == [ids[3], ids[0]]
    assert stored[-1].id == ids[-1] and [i.id for i in stored[1:3]] == ids[1:3]


def test_stored_incidents_apply_prepare_and_notice_a_missing_row(
    repo: IncidentRepository,
) -> None:
    repo.upsert(ARCHIVE[:2], source="test")
    stored = StoredIncidents(repo, [ARCHIVE[0].id], lambda i: i.model_copy(update={"title": "x"}))
    assert stored[0].title == "x"
    with pytest.raises(LookupError):
        StoredIncidents(repo, ["gone"]).take([0])
