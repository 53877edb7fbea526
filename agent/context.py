"""Dependencies the nodes read: the pack, the archive index, the LLM and the limits.

Loaded lazily, so importing :mod:`agent.graph` (as ``langgraph.json`` does) costs
nothing until the first run, and tests inject a small pack and archive directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from agent.domain import Incident
from agent.llm.base import LLM
from agent.pack import Pack
from agent.retrieval import Retriever
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
        from agent.store.archive import ensure_archive
        from agent.store.db import engine_for
        from agent.store.incidents import IncidentRepository

        engine = engine_for(self.settings)
        ensure_archive(engine, self.settings.history_dir)
        return IncidentRepository(engine).all()

    @cached_property
    def retriever(self) -> Retriever:
        """The similarity index over the archive, built once."""
        return Retriever(self.incidents, self.pack.taxonomy)
