"""A retrieval index built once per archive revision, saved, and loaded by later processes.

Building the index reads and tokenises every incident (minutes at 1,000,000); loading
the saved one reads a few arrays. The saved file is trusted only when its fingerprint
matches the one computed now from:

* the archive's revision (:meth:`IncidentRepository.revision`, one aggregate query);
* the code that decides what is indexed (this module, :mod:`agent.retrieval`,
  :mod:`agent.retrieval_index`, :mod:`agent.text`), the bm25s version and the format;
* the taxonomy labels added to each document;
* the scope (which clearance the index was built for).

Anything else (missing, corrupt, stale) is rebuilt and saved again, never trusted.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import bm25s

from agent import retrieval, retrieval_index, text
from agent.cache import cache_dir, prune
from agent.domain import Incident
from agent.pack.models import Taxonomy
from agent.retrieval import Retriever, document_tokens
from agent.retrieval_index import FORMAT, LexicalIndex, load, save
from agent.store.incidents import IncidentRepository, StoredIncidents

INDEXES_KEPT = 8
"""Saved indexes kept (the newest): one a clearance and store in use; the rest are stale."""


def fingerprint(revision: str, taxonomy: Taxonomy | None, scope: str) -> str:
    """What a saved index must carry to be reused for this archive, code and scope."""
    labels = "" if taxonomy is None else _labels(taxonomy)
    parts = [str(FORMAT), bm25s.__version__, _code_hash(), labels, revision, scope]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def index_path(scope: str, directory: Path | None = None) -> Path:
    """Where the index of ``scope`` is saved: one file a scope, overwritten when stale."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", scope) or "all"
    return (directory or cache_dir()) / "retrieval" / f"index-{safe}.npz"


def build_index(incidents: Iterable[Incident], taxonomy: Taxonomy | None) -> LexicalIndex | None:
    """The index over ``incidents`` in their order; None for an empty archive."""
    stream = iter(incidents)
    first = next(stream, None)
    if first is None:
        return None
    ids: list[str] = []

    def corpus() -> Iterator[list[str]]:
        """Tokens one incident at a time: the index keeps ids, never the token lists."""
        for incident in itertools.chain([first], stream):
            ids.append(incident.id)
            yield document_tokens(incident, taxonomy)

    return LexicalIndex.build(corpus(), ids)


def open_retriever(
    repository: IncidentRepository,
    taxonomy: Taxonomy | None,
    *,
    scope: str = "*",
    keep: Callable[[Incident], bool] | None = None,
    prepare: Callable[[Incident], Incident] | None = None,
    directory: Path | None = None,
) -> Retriever:
    """A retriever over the stored archive: the saved index if it is current, else a new one.

    Args:
        repository: the store's incidents.
        taxonomy: the pack's taxonomy (its labels are indexed).
        scope: names what ``keep`` lets through (a clearance); part of the fingerprint.
        keep: which incidents this index covers (need-to-know), None for all.
        prepare: applied to each incident read for a query (the guard's re-check).
        directory: the cache directory (default :func:`agent.cache.cache_dir`).
    """
    stamp = fingerprint(repository.revision(), taxonomy, scope)
    path = index_path(scope, directory)
    index = load(path, stamp)
    if index is None:
        stream = repository.stream()
        index = build_index((i for i in stream if keep is None or keep(i)), taxonomy)
        if index is not None:
            save(index, path, stamp)
            prune(path.parent, "index-*.npz", INDEXES_KEPT)
    ids = index.ids if index is not None else []
    return Retriever(StoredIncidents(repository, ids, prepare), taxonomy, index=index)


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A hash of the modules that decide which terms a document is indexed under."""
    digest = hashlib.sha256()
    for source in (text.__file__, retrieval.__file__, retrieval_index.__file__, __file__):
        try:
            digest.update(Path(source or "").read_bytes())
        except OSError:  # no source on disk (a frozen build): no index is ever reused
            digest.update(os.urandom(16))
    return digest.hexdigest()


def _labels(taxonomy: Taxonomy) -> str:
    pairs = [(f"{f.code}.{s.code}", s.label) for f in taxonomy.families for s in f.subtypes]
    return "\n".join(f"{code}={label}" for code, label in pairs)
