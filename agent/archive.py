"""The incident archive as its readers see it: loaded on first use, filtered by clearance.

The console's History page and anyone else who browses past incidents go through this,
never through the store's repository: what a clearance may not see is removed here,
and an id the caller may not see is answered like an id that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from agent.domain import Incident
from agent.rules.need_to_know import Clearance, visible_incidents
from agent.settings import Settings
from agent.store.archive import ensure_archive
from agent.store.db import engine_for
from agent.store.incidents import IncidentRepository


class Archive:
    """Past incidents, for one configuration (the store is opened once, on first use)."""

    def __init__(self, settings: Settings) -> None:
        """Read the archive of ``settings`` (the shipped history is loaded if it is empty)."""
        self.settings = settings

    @cached_property
    def _incidents(self) -> IncidentRepository:
        engine = engine_for(self.settings)
        ensure_archive(engine, self.settings.history_dir)
        return IncidentRepository(engine)

    def count(self) -> int:
        """How many incidents the archive holds, whatever the caller may see."""
        return self._incidents.count()

    def sites(self) -> list[str]:
        """Every site the archive names."""
        return sorted({i.site for i in self._incidents.all() if i.site})

    def search(
        self,
        clearance: Clearance,
        *,
        family: str | None = None,
        site: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
        limit: int = 500,
    ) -> tuple[list[Incident], int]:
        """The matching incidents this clearance may see, and how many it hides."""
        found = self._incidents.search(
            family=family, site=site, since=since, until=until, text=text, limit=limit
        )
        visible = visible_incidents(found, clearance)
        return visible, len(found) - len(visible)

    def get(self, incident_id: str, clearance: Clearance) -> Incident | None:
        """One incident, or None when it does not exist or this clearance may not see it."""
        found = self._incidents.get(incident_id)
        return found if found is not None and visible_incidents([found], clearance) else None


__all__ = ["Archive"]
