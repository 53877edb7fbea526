"""The categorisation lexicon read back from disk is the lexicon building gives."""

from pathlib import Path
from typing import Any

import pytest

from agent.rules import cues
from agent.rules.cue_lexicon_cache import cached_lexicon


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_CACHE_DIR", str(tmp_path))


def _build(shipped_pack: Any) -> cues.Lexicon:
    return cues.build_lexicon(shipped_pack.taxonomy, cues.cue_data())


def test_a_hit_gives_the_built_lexicon(shipped_pack: Any, tmp_path: Path) -> None:
    built = cached_lexicon(shipped_pack.taxonomy, lambda: _build(shipped_pack))
    assert len(list(tmp_path.glob("cue-lexicon-*.json"))) == 1

    def never() -> cues.Lexicon:
        raise AssertionError("rebuilt although cached")

    again = cached_lexicon(shipped_pack.taxonomy, never)
    assert again == built and again.frames and again.index


def test_a_damaged_file_is_rebuilt(shipped_pack: Any, tmp_path: Path) -> None:
    built = cached_lexicon(shipped_pack.taxonomy, lambda: _build(shipped_pack))
    (path,) = tmp_path.glob("cue-lexicon-*.json")
    path.write_text('{"index": [[["fire"], [[null]]]]}')
    assert cached_lexicon(shipped_pack.taxonomy, lambda: _build(shipped_pack)) == built
