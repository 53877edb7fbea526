"""Dependencies the nodes read: the pack, the archive index, the LLM and the limits.

Loaded lazily, so importing :mod:`agent.graph` (as ``langgraph.json`` does) costs
nothing until the first run, and tests inject a small pack and archive directly.
Importing it also registers the SQL call log as ``make_llm``'s default recorder
(:class:`SqlRecorder`): the LLM seam never imports the store.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from agent.domain import Incident
from agent.errors import StoreError
from agent.llm.base import LLM
from agent.llm.call_log import BatchingRecorder, register_call_log
from agent.llm.calls import LLMCall
from agent.pack import Pack
from agent.retrieval import Retriever
from agent.rules.need_to_know import Clearance, visible_incidents
from agent.settings import Settings

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
        """The archive, loaded into the store on first use if it is empty."""
        if self.incidents_override is not None:
            return self.incidents_override
        from agent.guard.pack_guard import guard_for
        from agent.store.archive import ensure_archive, recheck_archived
        from agent.store.db import engine_for
        from agent.store.incidents import IncidentRepository

        engine = engine_for(self.settings)
        ensure_archive(engine, self.settings.history_dir)
        return recheck_archived(IncidentRepository(engine).all(), guard_for(self.pack))

    _retrievers: dict[str, Retriever] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

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
                records = (
                    self.incidents if everything else visible_incidents(self.incidents, clearance)
                )
                self._retrievers[key] = Retriever(records, self.pack.taxonomy)
            return self._retrievers[key]

    def forget_archive(self) -> None:
        """Drop the cached archive and indexes (after the archive changed)."""
        with self._lock:
            self._retrievers.clear()
            self.__dict__.pop("incidents", None)

    def hidden_incidents(self, clearance: Clearance) -> int:
        """How many archive records this clearance may not see."""
        return len(self.incidents) - len(self.retriever_for(clearance))


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
