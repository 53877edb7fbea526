"""Dependencies the nodes read: the pack, the archive index, the LLM and the limits.

Loaded lazily, so importing :mod:`agent.graph` (as ``langgraph.json`` does) costs
nothing until the first run, and tests inject a small pack and archive directly.
Importing it also registers the SQL call log as ``make_llm``'s default recorder
(:class:`SqlRecorder`): the LLM seam never imports the store.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from agent.domain import Incident
from agent.errors import StoreError
from agent.llm.base import LLM
from agent.llm.call_log import BatchingRecorder, register_call_log
from agent.llm.calls import LLMCall
from agent.pack import Pack
from agent.retrieval import Retriever
from agent.rules.need_to_know import Clearance, visible_incidents
from agent.settings import Settings

if TYPE_CHECKING:
    from agent.store.incidents import IncidentRepository

log = logging.getLogger(__name__)


@dataclass
class Deps:
    """What the graph needs besides its state."""

    llm: LLM
    settings: Settings = field(default_factory=Settings)
    pack_override: Pack | None = None
    incidents_override: Sequence[Incident] | None = None

    @cached_property
    def pack(self) -> Pack:
        """The SOP pack (lint-clean or an error)."""
        if self.pack_override is not None:
            return self.pack_override
        from agent.pack.loader import load_pack

        return load_pack(self.settings.sops_dir)

    @cached_property
    def incidents(self) -> Sequence[Incident]:
        """Every archived record in memory, re-checked; retrieval over the store never reads it."""
        if self.incidents_override is not None:
            return self.incidents_override
        from agent.guard.pack_guard import guard_for
        from agent.store.archive import recheck_archived

        return recheck_archived(self.repository.all(), guard_for(self.pack))

    _retrievers: dict[str, Retriever] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @cached_property
    def repository(self) -> IncidentRepository:
        """The store's archive, loaded from ``history_dir`` on first use if it is empty."""
        from agent.store.archive import ensure_archive
        from agent.store.db import engine_for
        from agent.store.incidents import IncidentRepository

        engine = engine_for(self.settings)
        ensure_archive(engine, self.settings.history_dir)
        return IncidentRepository(engine)

    @property
    def retriever(self) -> Retriever:
        """The index over everything in the archive (benchmarks, administration)."""
        return self.retriever_for(Clearance("secret", frozenset({"*"})), everything=True)

    def retriever_for(self, clearance: Clearance, *, everything: bool = False) -> Retriever:
        """An index over what this clearance may see, built once per clearance.

        Built on the visible records only, so term statistics, and therefore every
        score, are the same whether or not more highly marked records exist.
        """
        key = "*" if everything else str(clearance)
        with self._lock:
            if key not in self._retrievers:
                self._retrievers[key] = self._open(key, None if everything else clearance)
            return self._retrievers[key]

    def _open(self, key: str, clearance: Clearance | None) -> Retriever:
        """An injected archive is indexed in memory; the store's through the saved index."""
        if self.incidents_override is not None:
            records = (
                self.incidents
                if clearance is None
                else visible_incidents(self.incidents, clearance)
            )
            return Retriever(records, self.pack.taxonomy)
        from agent.retrieval_cache import open_retriever

        return open_retriever(
            self.repository,
            self.pack.taxonomy,
            scope=store_scope(self.settings, key),
            keep=None if clearance is None else _visible_to(clearance),
            prepare=self._rechecker(),
        )

    def _rechecker(self) -> Callable[[Incident], Incident]:
        """The guard's re-check of archived model text, applied to each incident read."""
        from agent.guard.pack_guard import guard_for
        from agent.store.archive import recheck_archived

        guard = guard_for(self.pack)
        return lambda incident: recheck_archived([incident], guard)[0]

    def forget_archive(self) -> None:
        """Drop the cached archive and indexes (after the archive changed)."""
        with self._lock:
            self._retrievers.clear()
            self.__dict__.pop("incidents", None)
            self.__dict__.pop("archive_size", None)

    def hidden_incidents(self, clearance: Clearance) -> int:
        """How many archive records this clearance may not see (a count, no record read)."""
        return self.archive_size - len(self.retriever_for(clearance))

    @cached_property
    def archive_size(self) -> int:
        """How many records the archive holds, counted once like the indexes are built."""
        if self.incidents_override is not None:
            return len(self.incidents_override)
        return self.repository.count()


def store_scope(settings: Settings, key: str) -> str:
    """The saved index's scope: the clearance key and which database it indexes.

    Two stores (a test's, an operator's) then keep separate files instead of
    overwriting each other's index on every run.
    """
    database = hashlib.sha256(settings.db_url.encode()).hexdigest()[:12]
    return f"{database}-{key}"


def _visible_to(clearance: Clearance) -> Callable[[Incident], bool]:
    """Need-to-know as a per-incident filter (the one :func:`visible_incidents` applies)."""
    return lambda incident: clearance.allows(incident.marking, incident.compartments)


class SqlRecorder(BatchingRecorder):
    """The SQL call log (``llm_calls``), the default recorder of ``make_llm``.

    Wired here, above both the LLM seam and the store, so neither imports the
    other. A store failure is logged, never raised: logging never fails an answer.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(self._write_batch)
        self.settings = settings

    def _write_batch(self, batch: list[LLMCall]) -> None:
        from agent.store.db import engine_for
        from agent.store.llm_calls import LLMCallRepository

        try:
            LLMCallRepository(engine_for(self.settings)).add_all(batch)
        except StoreError as exc:
            log.warning("could not log %d model call(s): %s", len(batch), exc)


register_call_log(SqlRecorder)
