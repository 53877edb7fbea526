"""The index is built from token ids streamed one document at a time (issue 11: build RSS).

It must score exactly as bm25s does when given the token lists themselves.
"""

from __future__ import annotations

import random

import bm25s
import numpy as np

from agent.retrieval_index import _PARAMS, EMPTY, LexicalIndex

WORDS = ["ammonia", "leak", "fire", "flood", "river", "ransomware", "server", "cloud", "roof"]


def _corpus(seed: int, size: int = 60) -> list[list[str]]:
    rng = random.Random(seed)
    docs = [[rng.choice(WORDS) for _ in range(rng.randint(1, 12))] for _ in range(size)]
    return [*docs, []]  # a document with no term at all


def _from_tokens(corpus: list[list[str]], ids: list[str]) -> LexicalIndex:
    bm25 = bm25s.BM25(**_PARAMS, csc_backend="numpy")
    bm25.index([t or [EMPTY] for t in corpus], create_empty_token=False, show_progress=False)
    return LexicalIndex(bm25, ids)


def test_scores_idf_and_term_lookup_match_an_index_built_from_token_lists() -> None:
    for seed in range(5):
        corpus = _corpus(seed)
        ids = [f"INC-{n}" for n in range(len(corpus))]
        streamed, reference = LexicalIndex.build(iter(corpus), ids), _from_tokens(corpus, ids)
        for query in (["ammonia", "leak"], ["roof", "nothing-like-it"], WORDS):
            assert np.array_equal(streamed.scores(query), reference.scores(query))
            assert streamed.holds(range(len(corpus)), query) == reference.holds(
                range(len(corpus)), query
            )
        assert all(streamed.idf(w) == reference.idf(w) for w in [*WORDS, "unknown"])


def test_a_generator_corpus_is_read_once_and_keeps_the_ids_order() -> None:
    corpus = _corpus(7, size=5)
    index = LexicalIndex.build((doc for doc in corpus), ["a", "b", "c", "d", "e", "f"])
    assert index.ids == ["a", "b", "c", "d", "e", "f"]
    assert len(index) == 6
