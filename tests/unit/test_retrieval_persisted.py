"""The persisted retrieval index: reused while current, rebuilt when stale or corrupt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agent.domain import Category, Incident
from agent.retrieval import Retriever
from agent.retrieval_cache import fingerprint, index_path, open_retriever
from agent.retrieval_index import load
from agent.store.db import init_db, make_engine
from agent.store.incidents import IncidentRepository
from tests.fakes import incident
from tests.unit.test_retrieval import ARCHIVE

QUERIES = [
    "ammonia leak near the compressor, vapour cloud",
    "warehouse fire pallets",
    "ransomware encrypted the servers",
    "Fuite d'ammoniac à l'usine",
    "river flood pumping station",
]


@pytest.fixture
def repo() -> Iterator[IncidentRepository]:
    engine: Engine = make_engine("sqlite://")
    init_db(engine)
    repository = IncidentRepository(engine)
    repository.upsert(ARCHIVE, source="test")
    yield repository
    engine.dispose()


def _results(retriever: Retriever) -> list[list[tuple[str, float, list[str]]]]:
    out = []
    for query in QUERIES:
        for category in (None, Category(code="IND.toxic_release", confidence=0.9)):
            found = retriever.search(query, category=category, threshold=0.0, k=10)
            out.append([(p.id, p.score, p.why) for p in found.precedents])
    return out


def _path(tmp_path: Path) -> Path:
    return index_path("*", tmp_path)


def test_a_saved_index_gives_the_same_results_as_one_built_in_memory(
    repo: IncidentRepository, tmp_path: Path
) -> None:
    built = open_retriever(repo, None, directory=tmp_path)
    loaded = open_retriever(repo, None, directory=tmp_path)
    in_memory = Retriever(repo.all())
    assert _results(loaded) == _results(built) == _results(in_memory)
    assert any(_results(in_memory))


def test_the_index_is_reused_while_the_archive_is_unchanged(
    repo: IncidentRepository, tmp_path: Path
) -> None:
    open_retriever(repo, None, directory=tmp_path)
    written = _path(tmp_path).stat().st_mtime_ns
    repo.upsert(ARCHIVE, source="test")  # idempotent: nothing changes
    open_retriever(repo, None, directory=tmp_path)
    assert _path(tmp_path).stat().st_mtime_ns == written


def test_a_new_incident_invalidates_the_index(repo: IncidentRepository, tmp_path: Path) -> None:
    before = open_retriever(repo, None, directory=tmp_path)
    assert before.search("meteorite crater car park").no_precedent
    new = incident(
        "INC-9", "Meteorite hits the car park", "A meteorite left a crater.", "NAT.other"
    )
    repo.upsert([new], source="test")
    after = open_retriever(repo, None, directory=tmp_path)
    assert len(after) == len(ARCHIVE) + 1
    assert [p.id for p in after.search("meteorite crater car park").precedents] == ["INC-9"]


def test_a_changed_incident_invalidates_the_index(repo: IncidentRepository, tmp_path: Path) -> None:
    open_retriever(repo, None, directory=tmp_path)
    changed = ARCHIVE[1].model_copy(update={"summary": "Lithium batteries caught fire."})
    repo.upsert([changed], source="test")
    after = open_retriever(repo, None, directory=tmp_path)
    hits = after.search("lithium batteries", threshold=0.0).precedents
    assert hits and hits[0].id == changed.id


@pytest.mark.parametrize("damage", [b"not an index", b"", b"PK\x03\x04broken"])
def test_a_corrupt_index_file_is_rebuilt_not_trusted(
    repo: IncidentRepository, tmp_path: Path, damage: bytes
) -> None:
    expected = _results(open_retriever(repo, None, directory=tmp_path))
    _path(tmp_path).write_bytes(damage)
    assert _results(open_retriever(repo, None, directory=tmp_path)) == expected
    assert load(_path(tmp_path), fingerprint(repo.revision(), None, "*")) is not None


def test_a_truncated_index_file_is_rebuilt(repo: IncidentRepository, tmp_path: Path) -> None:
    expected = _results(open_retriever(repo, None, directory=tmp_path))
    whole = _path(tmp_path).read_bytes()
    _path(tmp_path).write_bytes(whole[: len(whole) // 2])
    assert _results(open_retriever(repo, None, directory=tmp_path)) == expected


def test_an_index_with_another_fingerprint_is_not_loaded(
    repo: IncidentRepository, tmp_path: Path
) -> None:
    open_retriever(repo, None, directory=tmp_path)
    current = fingerprint(repo.revision(), None, "*")
    assert load(_path(tmp_path), current) is not None
    assert load(_path(tmp_path), fingerprint(repo.revision(), None, "public")) is None
    assert load(_path(tmp_path), fingerprint("another-revision", None, "*")) is None


def test_a_scoped_index_covers_only_what_it_keeps(repo: IncidentRepository, tmp_path: Path) -> None:
    def keep(i: Incident) -> bool:
        return i.category != "CYB.ransomware"

    scoped = open_retriever(repo, None, scope="no-cyber", keep=keep, directory=tmp_path)
    assert len(scoped) == len(ARCHIVE) - 1
    found = scoped.search("ransomware encrypted servers", threshold=0.0).precedents
    assert "INC-3" not in [p.id for p in found]
    assert index_path("no-cyber", tmp_path).is_file()


def test_an_empty_archive_gives_no_precedent(tmp_path: Path) -> None:
    engine = make_engine("sqlite://")
    init_db(engine)
    retriever = open_retriever(IncidentRepository(engine), None, directory=tmp_path)
    assert retriever.search("anything").no_precedent
    assert not _path(tmp_path).exists()
    engine.dispose()


def test_excluding_by_id_hides_like_allow_without_reading_the_archive(
    repo: IncidentRepository, tmp_path: Path
) -> None:
    stored = open_retriever(repo, None, directory=tmp_path)
    in_memory = Retriever(repo.all())
    query = "ammonia vapour leak"
    by_id = stored.search(query, threshold=0.0, exclude={"INC-1", "not-there"})
    by_allow = in_memory.search(query, threshold=0.0, allow=lambda i: i.id != "INC-1")
    assert by_id.precedents == by_allow.precedents
    assert by_id.filtered == by_allow.filtered == 1
    assert "INC-1" not in [p.id for p in by_id.precedents]
