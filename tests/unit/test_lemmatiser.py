"""The trie-backed lemmatiser gives simplemma's own answers."""

from pathlib import Path

import pytest
import simplemma

from agent.guard import lemmatiser

WORDS = [
    "went", "sprayed", "hoses", "evacuated", "children", "leaking", "zorblax", "Évacuées",
    "évacuez", "pompiers", "incommodés", "fuites", "arrosé", "confinez", "dégagés", "nuages",
]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_CACHE_DIR", str(tmp_path))
    for cached in (lemmatiser._factory, lemmatiser._lemmatizer, lemmatiser._lookup):
        cached.cache_clear()


@pytest.mark.parametrize("lang", ["en", "fr", ("en", "fr")])
def test_same_lemmas_as_simplemma(lang: str | tuple[str, ...]) -> None:
    assert [lemmatiser.lemmatize(w, lang) for w in WORDS] == [
        simplemma.lemmatize(w, lang=lang) for w in WORDS
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_same_dictionary_membership(lang: str) -> None:
    assert [lemmatiser.is_known(w, lang) for w in WORDS] == [
        simplemma.is_known(w, lang=lang) for w in WORDS
    ]


def test_the_tries_are_kept_in_the_cache_dir(tmp_path: Path) -> None:
    lemmatiser.lemmatize("went", "en")
    assert list(tmp_path.glob("simplemma/*/en.dic"))
