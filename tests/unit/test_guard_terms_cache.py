"""The guard's compiled terms read back from disk are the terms compiling gives."""

from pathlib import Path

import pytest

from agent.guard import terms_cache
from agent.guard.concepts import Lexicon

CONCEPTS = {
    f"concept_{n}": [f"spray water {n}", "lance à eau", "-fuite de gaz", "arros*", "=locals"]
    for n in range(terms_cache.MIN_SOURCES // 5 + 1)
}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRISISCELL_CACHE_DIR", str(tmp_path))
    return tmp_path


def _files(root: Path) -> list[Path]:
    return sorted((root / "guard").glob("terms-*.json"))


def test_a_hit_gives_the_compiled_terms(_cache: Path) -> None:
    first = Lexicon(CONCEPTS, cache=terms_cache.compiled_terms)
    assert len(_files(_cache)) == 1
    again = Lexicon(CONCEPTS, cache=terms_cache.compiled_terms)
    assert again.terms == first.terms
    assert again.exclusions == first.exclusions and again.exclusions


def test_a_damaged_file_is_rebuilt(_cache: Path) -> None:
    expected = Lexicon(CONCEPTS, cache=terms_cache.compiled_terms).terms
    (path,) = _files(_cache)
    path.write_text('{"words": [[["x"], null]], "terms": [[false, "c", "s", [7]]]}')
    assert Lexicon(CONCEPTS, cache=terms_cache.compiled_terms).terms == expected


def test_other_concepts_get_their_own_file(_cache: Path) -> None:
    Lexicon(CONCEPTS, cache=terms_cache.compiled_terms)
    changed = {**CONCEPTS, "concept_0": ["hose the leak"]}
    terms = Lexicon(changed, cache=terms_cache.compiled_terms).terms
    assert len(_files(_cache)) == 2
    assert any(t.source == "hose the leak" for t in terms)


def test_small_concept_sets_are_not_cached(_cache: Path) -> None:
    Lexicon({"water_jet": ["spray water"]}, cache=terms_cache.compiled_terms)
    assert _files(_cache) == []
