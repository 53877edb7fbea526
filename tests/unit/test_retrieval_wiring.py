"""The saved retrieval index as ``Deps`` uses it: loaded by a second process, never trusted stale.

A "second process" is a second :class:`Deps` on the same store and cache directory: it
shares nothing in memory with the first, exactly like a new ``crisiscell suggest``.
Builds are counted at the cache's own seam (:func:`agent.retrieval_cache.build_index`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from agent import retrieval_cache
from agent.context import Deps
from agent.domain import Incident
from agent.llm.offline import OfflineLLM
from agent.rules.need_to_know import Clearance
from agent.service import Suggester
from agent.settings import Settings
from agent.store.archive import read_history_dir
from agent.store.db import engine_for
from agent.store.incidents import IncidentRepository
from tests.fakes import incident

INTERNAL = Clearance("internal")
SECRET = Clearance("secret", frozenset({"ops"}))
PUBLIC = [
    incident(
        "INC-A", "Ammonia leak at a cold store", "Vapour spread from a valve.", "IND.toxic_release"
    ),
    incident("INC-B", "River flood at a pumping station", "Water entered.", "NAT.flood"),
]
HIDDEN = incident(
    "INC-S",
    "Ammonia leak at the secret plant",
    "Ammonia vapour from the hidden compressor.",
    "IND.toxic_release",
    marking="secret",
    compartments=["ops"],
)


class Builds:
    """How many indexes were built (not loaded) since the test began."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = retrieval_cache.build_index

        def counting(incidents: Iterable[Incident], taxonomy: Any) -> Any:
            self.count += 1
            return real(incidents, taxonomy)

        monkeypatch.setattr(retrieval_cache, "build_index", counting)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("CRISISCELL_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Builds:
    return Builds(monkeypatch)


def _settings(tmp_path: Path, history: Path | None = None) -> Settings:
    return Settings(home=tmp_path / "home", history_dir=history or tmp_path / "no-history")


def _stored(settings: Settings, incidents: list[Incident]) -> IncidentRepository:
    repository = IncidentRepository(engine_for(settings))
    repository.upsert(incidents, source="test")
    return repository


def _deps(settings: Settings, pack: Any) -> Deps:
    return Deps(llm=OfflineLLM(), settings=settings, pack_override=pack)


def _found(deps: Deps, clearance: Clearance, text: str) -> list[tuple[str, float]]:
    result = deps.retriever_for(clearance).search(text, threshold=0.0)
    return [(p.id, p.score) for p in result.precedents]


def test_a_second_deps_loads_the_saved_index_instead_of_building_it(
    tmp_path: Path, pack: Any, cache: Path, builds: Builds
) -> None:
    settings = _settings(tmp_path)
    _stored(settings, PUBLIC)
    first = _found(_deps(settings, pack), INTERNAL, "ammonia leak")
    assert builds.count == 1
    saved = list(cache.glob("retrieval/*.npz"))
    assert len(saved) == 1
    stamp = saved[0].stat().st_mtime_ns
    assert _found(_deps(settings, pack), INTERNAL, "ammonia leak") == first
    assert builds.count == 1
    assert saved[0].stat().st_mtime_ns == stamp
    assert first and first[0][0] == "INC-A"


def test_a_new_incident_invalidates_the_saved_index(
    tmp_path: Path, pack: Any, cache: Path, builds: Builds
) -> None:
    settings = _settings(tmp_path)
    repository = _stored(settings, PUBLIC)
    assert "INC-C" not in dict(_found(_deps(settings, pack), INTERNAL, "chlorine tanker"))
    repository.upsert(
        [incident("INC-C", "Chlorine tanker", "A tanker leaked.", "IND.toxic_release")], "t"
    )
    assert "INC-C" in dict(_found(_deps(settings, pack), INTERNAL, "chlorine tanker"))
    assert builds.count == 2


def test_a_corrupt_index_file_is_rebuilt_not_trusted(
    tmp_path: Path, pack: Any, cache: Path, builds: Builds
) -> None:
    settings = _settings(tmp_path)
    _stored(settings, PUBLIC)
    first = _found(_deps(settings, pack), INTERNAL, "ammonia leak")
    (saved,) = cache.glob("retrieval/*.npz")
    saved.write_bytes(b"not an index")
    assert _found(_deps(settings, pack), INTERNAL, "ammonia leak") == first
    assert builds.count == 2


def test_the_clearance_filter_holds_through_the_saved_index(
    tmp_path: Path, pack: Any, cache: Path, builds: Builds
) -> None:
    settings = _settings(tmp_path)
    _stored(settings, [*PUBLIC, HIDDEN])
    _deps(settings, pack).retriever_for(INTERNAL)
    _deps(settings, pack).retriever_for(SECRET)
    assert builds.count == 2  # one index a clearance, each saved apart
    internal, secret = _deps(settings, pack), _deps(settings, pack)
    assert "INC-S" not in dict(_found(internal, INTERNAL, "ammonia secret compressor"))
    assert "INC-S" not in internal.retriever_for(INTERNAL).index.ids  # type: ignore[union-attr]
    assert internal.hidden_incidents(INTERNAL) == 1
    assert "INC-S" in dict(_found(secret, SECRET, "ammonia secret compressor"))
    assert secret.hidden_incidents(SECRET) == 0
    assert builds.count == 2  # both loaded from their files


def test_scores_over_the_store_equal_those_over_the_archive_in_memory(
    tmp_path: Path, shipped_pack: Any, cache: Path
) -> None:
    """The shipped archive through the saved index ranks and scores as it did in memory."""
    history = Settings().history_dir
    memory = Deps(
        llm=OfflineLLM(),
        settings=Settings(),
        pack_override=shipped_pack,
        incidents_override=read_history_dir(history),
    )
    settings = _settings(tmp_path, history)
    _deps(settings, shipped_pack).retriever_for(INTERNAL)  # build and save
    stored = _deps(settings, shipped_pack)  # load
    texts = ["Fuite d'ammoniac, nuage toxique", "ransomware encrypted the file servers", "flood"]
    for text in texts:
        assert _found(stored, INTERNAL, text) == _found(memory, INTERNAL, text)
    assert stored.hidden_incidents(INTERNAL) == memory.hidden_incidents(INTERNAL)


def test_exclude_hides_an_incident_from_the_stored_index(
    tmp_path: Path, pack: Any, cache: Path
) -> None:
    settings = _settings(tmp_path)
    _stored(settings, PUBLIC)
    retriever = _deps(settings, pack).retriever_for(INTERNAL)
    found = retriever.search("ammonia leak", threshold=0.0, exclude={"INC-A"})
    assert "INC-A" not in [p.id for p in found.precedents]
    assert found.filtered == 1


def test_warm_up_builds_only_the_index_the_first_event_needs(
    tmp_path: Path, pack: Any, cache: Path, builds: Builds
) -> None:
    settings = _settings(tmp_path)
    _stored(settings, PUBLIC)
    deps = _deps(settings, pack)
    Suggester(deps=deps).warm_up()
    assert builds.count == 1
    deps.retriever_for(Clearance.parse(settings.clearance))
    assert builds.count == 1
