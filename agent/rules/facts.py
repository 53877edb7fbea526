"""Assemble the facts the rules read: structured facts, facts read from text, site data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.domain import Event
from agent.pack.models import SiteRegistry
from agent.rules.text_facts import extract_facts

# Lower bounds derived when only a head count is known: at least one hour each.
DERIVED_LOWER_BOUNDS = {
    "evacuation.person_hours": "evacuation.persons",
    "utilities.person_hours_cut": "utilities.customers_affected",
}


def flatten(facts: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested facts to dotted paths: {a: {b: 1}} -> {"a.b": 1}."""
    flat: dict[str, Any] = {}
    for key, value in facts.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def assemble_facts(
    event: Event, sites: SiteRegistry | None = None
) -> tuple[dict[str, Any], set[str]]:
    """All facts for an event, and the set of paths that were read from its text.

    Structured facts win over text; ``un_number`` and the site registry add theirs.
    """
    facts = flatten(event.facts)
    from_text = {k: v for k, v in extract_facts(event.text).items() if k not in facts}
    facts.update(from_text)
    if event.un_number:
        facts["substance.un"] = event.un_number
        from_text.pop("substance.un", None)
        if from_text.pop("substance.erg_guide", None) is not None:
            facts.pop("substance.erg_guide")  # the guide of the text's substance, not this one
    site = find_site(sites, event.site) if sites else None
    if site is not None and "site.seveso" not in facts:
        facts["site.seveso"] = site.seveso
    for target, source in DERIVED_LOWER_BOUNDS.items():
        if target not in facts and source in facts:
            facts[target] = facts[source]
            from_text[target] = facts[source]
    return facts, set(from_text)


def find_site(sites: SiteRegistry, name: str | None) -> Any:
    """The registered site with this id or alias (case-insensitive), or None."""
    if not name:
        return None
    wanted = name.strip().lower()
    for site in sites.sites:
        names = [site.id, site.name, *site.aliases]
        if wanted in (n.lower() for n in names):
            return site
    return None
