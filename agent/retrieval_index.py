"""The lexical index under retrieval: bm25s scores, term statistics, and a file format.

One structure answers three questions: the BM25 score of every document for a query
(candidate generation), which query terms a candidate holds, and how rare a term is
(its IDF). The last two are read from bm25s's own CSC matrix (a term's column lists
the documents holding it, sorted), so no per-document term set is kept in memory:
at 1,000,000 incidents that is the difference between ~300 MB and several GB.

The index saves to one ``.npz`` file (no pickle) that carries its own fingerprint;
:func:`load` returns ``None`` for a missing, corrupt or stale file, never raises.
"""

from __future__ import annotations

import json
import math
import zipfile
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import bm25s
import numpy as np

from agent.cache import write_atomically

FORMAT = 1
"""Bumped whenever the saved layout or what it means changes."""

EMPTY = "_empty_"
"""Stands for a document with no term, so bm25s still gets one token."""

_PARAMS = {"k1": 1.5, "b": 0.75, "method": "lucene", "dtype": "float32", "int_dtype": "int32"}


@dataclass
class LexicalIndex:
    """BM25 over a corpus of token lists; positions are the corpus order."""

    bm25: bm25s.BM25
    ids: list[str]

    @classmethod
    def build(cls, corpus: Iterable[list[str]], ids: Sequence[str]) -> LexicalIndex:
        """Index ``corpus`` (one token list per document, in ``ids`` order).

        Each document's tokens become an array of int32 ids as it is read, so the corpus is
        never held as strings: at 1,000,000 incidents the token strings (and bm25s's
        own list of ints beside them) were most of the build's 2.5 GB peak.
        """
        vocab: dict[str, int] = {}
        documents = [_token_ids(tokens or [EMPTY], vocab) for tokens in corpus]
        bm25 = bm25s.BM25(**_PARAMS, csc_backend="numpy")
        bm25.index((documents, vocab), create_empty_token=False, show_progress=False)
        return cls(bm25, list(ids))

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, terms: list[str]) -> np.ndarray:
        """The BM25 score of every document for these terms (unknown terms count 0)."""
        known = self.bm25.get_tokens_ids(terms)
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores_from_ids(known))

    def idf(self, term: str) -> float:
        """Smoothed IDF of ``term``; 1.0 for a term no document holds."""
        column = self.bm25.vocab_dict.get(term)
        if column is None:
            return 1.0
        indptr = self.bm25.scores["indptr"]
        df = int(indptr[column + 1] - indptr[column])
        n = len(self.ids)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def holds(self, positions: Sequence[int], terms: Iterable[str]) -> list[set[str]]:
        """Which of ``terms`` each document of ``positions`` holds (one binary search a term)."""
        scores = self.bm25.scores
        indptr, indices = scores["indptr"], scores["indices"]
        wanted = np.asarray(positions, dtype=np.int64)
        found: list[set[str]] = [set() for _ in positions]
        for term in set(terms):
            column = self.bm25.vocab_dict.get(term)
            docs = (
                indices[int(indptr[column]) : int(indptr[column + 1])] if column is not None else ()
            )
            if not len(docs) or not len(wanted):
                continue
            at = np.minimum(np.searchsorted(docs, wanted), len(docs) - 1)
            for k in np.flatnonzero(docs[at] == wanted):
                found[int(k)].add(term)
        return found


def _token_ids(tokens: list[str], vocab: dict[str, int]) -> array[int]:
    """The document's tokens as vocabulary ids (4 bytes each), adding those ``vocab`` lacks."""
    return array("i", [vocab.setdefault(token, len(vocab)) for token in tokens])


def save(index: LexicalIndex, path: Path, fingerprint: str) -> None:
    """Write ``index`` to ``path`` atomically, stamped with ``fingerprint``."""
    scores = index.bm25.scores
    vocab = sorted(index.bm25.vocab_dict.items(), key=lambda pair: pair[1])
    header = {"format": FORMAT, "fingerprint": fingerprint, "num_docs": scores["num_docs"]}
    arrays = {
        "header": _text_array(json.dumps(header)),
        "data": np.asarray(scores["data"]),
        "indices": np.asarray(scores["indices"]),
        "indptr": np.asarray(scores["indptr"]),
        "vocab": _text_array(json.dumps([token for token, _ in vocab])),
        "ids": _text_array(json.dumps(index.ids)),
    }

    def write(file: BinaryIO) -> None:
        np.savez(file, allow_pickle=False, **arrays)

    write_atomically(path, write)


def load(path: Path, fingerprint: str) -> LexicalIndex | None:
    """The index saved at ``path`` if it is whole and carries ``fingerprint``, else None."""
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as saved:
            header = json.loads(_text(saved["header"]))
            if header.get("format") != FORMAT or header.get("fingerprint") != fingerprint:
                return None
            return _from_arrays(saved, int(header["num_docs"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile):
        return None


def _from_arrays(saved: Any, num_docs: int) -> LexicalIndex | None:
    """Rebuild the bm25s object from the saved arrays; None when they disagree."""
    vocab = json.loads(_text(saved["vocab"]))
    ids = json.loads(_text(saved["ids"]))
    indptr, indices, data = saved["indptr"], saved["indices"], saved["data"]
    consistent = (
        isinstance(vocab, list)
        and isinstance(ids, list)
        and len(ids) == num_docs
        and len(indptr) == len(vocab) + 1
        and int(indptr[-1]) == len(indices) == len(data)
        and (len(indices) == 0 or int(indices.max()) < num_docs)
    )
    if not consistent:
        return None
    bm25 = bm25s.BM25(**_PARAMS, csc_backend="numpy")
    bm25.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": num_docs}
    bm25.vocab_dict = {token: i for i, token in enumerate(vocab)}
    bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
    bm25.nonoccurrence_array = None
    return LexicalIndex(bm25, ids)


def _text_array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: np.ndarray) -> str:
    return bytes(array.astype(np.uint8)).decode("utf-8")
