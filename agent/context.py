"""Dependencies the nodes read: the pack, the archive index, the LLM and the limits.

Loaded lazily, so importing :mod:`agent.graph` (as ``langgraph.json`` does) costs
nothing until the first run, and tests inject a small pack and archive directly.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from agent.domain import Incident
from agent.llm.base import LLM
from agent.pack import Pack
from agent.retrieval import Retriever
from agent.rules.need_to_know import Clearance, visible_incidents
from agent.settings import Settings


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
        from agent.store.archive import ensure_archive, recheck_archived
        from agent.store.db import engine_for
        from agent.store.incidents import IncidentRepository

        engine = engine_for(self.settings)
        ensure_archive(engine, self.settings.history_dir)
        return recheck_archived(IncidentRepository(engine).all(), self.pack.guard)

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
