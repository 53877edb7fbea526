"""Intake: check the event, resolve its site, and assemble the facts the rules read."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from agent.context import Deps
from agent.domain import utcnow
from agent.errors import InputError
from agent.rules.evidence import fact_spans
from agent.rules.facts import assemble_facts, find_site
from agent.state import State


def intake(state: State, deps: Deps) -> dict[str, Any]:
    """Resolve the site to its registered id and gather facts from fields and text."""
    event = state.event
    sites = deps.pack.sites
    if event.site is not None:
        site = find_site(sites, event.site)
        if site is None:
            known = ", ".join(s.id for s in sites.sites) or "none registered"
            raise InputError(f"unknown site '{event.site}' (known sites: {known})")
        event = event.model_copy(update={"site": site.id})
    facts, from_text = assemble_facts(event, sites)
    return {
        "event": event,
        "facts": facts,
        "from_text": sorted(from_text),
        "spans": fact_spans(event.text, from_text),
        "run_id": state.run_id or uuid.uuid4().hex[:16],
        "deadline_at": utcnow() + timedelta(seconds=deps.settings.deadline_s),
        "nodes": ["intake"],
    }
