"""A loaded, validated pack: taxonomy, severity scale, sites, facts and SOPs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agent.pack.models import (
    FactRegistry,
    Lexicon,
    NeverList,
    SeverityScale,
    SiteRegistry,
    Sop,
    Taxonomy,
)


@dataclass(frozen=True)
class Pack:
    """Everything the deterministic rules read; only ever built from a lint-clean directory.

    Its guard is :func:`agent.guard.pack_guard.guard_for` (built once per pack).
    """

    root: Path
    taxonomy: Taxonomy
    scale: SeverityScale
    sites: SiteRegistry
    facts: FactRegistry
    sops: tuple[Sop, ...]
    sop_hashes: dict[str, str] = field(default_factory=dict)
    """SOP id -> sha256 of the file bytes it was loaded from."""
    pack_hash: str = ""
    """sha256 over every file of the pack, for lineage."""
    lexicon: Lexicon | None = None
    """Pack-wide concepts of the forbidden-action patterns (``lexicon.yaml``)."""
    never: NeverList | None = None
    """Actions never allowed whatever the SOP (``never.yaml``)."""

    def sop(self, sop_id: str) -> Sop | None:
        """The SOP with this id, or None."""
        return next((s for s in self.sops if s.id == sop_id), None)

    def active_sops(self) -> tuple[Sop, ...]:
        """SOPs that may be applied: approved ones (drafts and retired ones are not)."""
        return tuple(s for s in self.sops if s.status == "approved")
