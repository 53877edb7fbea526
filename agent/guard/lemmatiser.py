"""simplemma with its dictionaries as tries kept in the cache directory.

simplemma's default dictionaries are LZMA-compressed and decoded whole on first use:
0.6 s of any process that meets a word no cache holds yet (a new report, two SOPs
whose steps are merged). Its own ``TrieDictionaryFactory`` builds a MARISA trie per
language once, saves it, and later processes load it in milliseconds; the lemmas are
the same (``tests/unit/test_lemmatiser.py``). The tries live under
:func:`agent.cache.cache_dir` like every other rebuildable file.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def lemmatize(word: str, lang: str | tuple[str, ...]) -> str:
    """Simplemma's lemma of ``word`` (the first language that knows it, in order)."""
    return str(_lemmatizer().lemmatize(word, lang=lang))


def is_known(word: str, lang: str) -> bool:
    """Whether the dictionary of ``lang`` holds ``word`` as written."""
    from simplemma.utils import normalize_token

    return _lookup().get_lemma(normalize_token(word), lang) is not None


@lru_cache(maxsize=1)
def _factory() -> Any:
    from simplemma.__metadata__ import __version__
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    from agent.cache import cache_dir

    return TrieDictionaryFactory(disk_cache_dir=str(cache_dir() / "simplemma" / __version__))


@lru_cache(maxsize=1)
def _lemmatizer() -> Any:
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_factory()))


@lru_cache(maxsize=1)
def _lookup() -> Any:
    from simplemma.strategies import DictionaryLookupStrategy

    return DictionaryLookupStrategy(_factory())
