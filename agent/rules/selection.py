"""Which SOPs apply to an event: ``applies_to`` filters, ``triggers``, escalation activations.

Rules, in order:

1. Only approved SOPs are candidates.
2. An SOP is selected when a category pattern matches the primary code (rank 0) or
   a cascade code stated firmly, not named in passing (rank 1; ``Category.tentative``),
   or its substances list the event's UN number (rank 0), and its site and severity
   filters pass; or when its ``triggers`` hold (rank 0).
3. ``triggers`` that evaluate False exclude an SOP matched by category; unknown
   triggers keep it (with a reason), since unknown is not "no".
4. Severity is a lower bound while dimensions are unknown, so an SOP for higher
   levels stays selected in that case.
5. Escalation rules of selected SOPs may ``activate`` further SOPs.
6. The generic all-hazards SOP (``categories: ["*"]``) applies only when nothing else does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.domain import Category, Severity
from agent.pack.models import Sop
from agent.rules.conditions import describe, evaluate, get_fact
from agent.rules.severity import level_index

MAX_SOPS = 3


@dataclass
class SopChoice:
    """A selected SOP, its rank (0 = most specific) and why it was selected."""

    sop: Sop
    rank: int
    reasons: list[str] = field(default_factory=list)


def select_sops(
    sops: Sequence[Sop],
    category: Category,
    severity: Severity,
    facts: Mapping[str, Any],
    site: str | None = None,
    limit: int = MAX_SOPS,
) -> list[SopChoice]:
    """Select the applicable SOPs, most specific first, at most ``limit``."""
    active = [s for s in sops if s.status == "approved"]
    chosen = [
        c
        for s in active
        if not _is_generic(s)
        if (c := _consider(s, category, severity, facts, site))
    ]
    chosen.sort(key=lambda c: (c.rank, c.sop.id))
    chosen = chosen[:limit]
    chosen += _activated(active, chosen, facts, limit)
    if not chosen:
        chosen = [
            SopChoice(s, 9, ["no specific SOP applies: generic all-hazards procedure"])
            for s in active
            if _is_generic(s)
        ][:1]
    return chosen


def _is_generic(sop: Sop) -> bool:
    return "*" in sop.applies_to.categories


def _consider(
    sop: Sop, category: Category, severity: Severity, facts: Mapping[str, Any], site: str | None
) -> SopChoice | None:
    reasons: list[str] = []
    rank = _category_rank(sop, category, facts, reasons)
    trigger = evaluate(sop.triggers, facts) if sop.triggers else None
    if sop.triggers is not None and trigger is True:
        reasons.append(f"trigger holds: {describe(sop.triggers)}")
        return SopChoice(sop, 0, reasons)
    if rank is None:
        return None
    if sop.triggers is not None and trigger is False:
        return None
    if sop.triggers is not None:
        reasons.append(f"trigger not yet known: {describe(sop.triggers)}")
    if not _site_ok(sop, site, reasons) or not _severity_ok(sop, severity, reasons):
        return None
    return SopChoice(sop, rank, reasons)


def _category_rank(
    sop: Sop, category: Category, facts: Mapping[str, Any], reasons: list[str]
) -> int | None:
    un = get_fact(facts, "substance.un")
    if isinstance(un, str) and any(s.un == un for s in sop.applies_to.substances):
        reasons.append(f"lists the substance UN {un}")
        return 0
    firm = [c for c in category.secondary if c not in category.tentative]
    for rank, code in enumerate([category.code, *firm]):
        if any(_matches(pattern, code) for pattern in sop.applies_to.categories):
            reasons.append(f"applies to {code}" + (" (cascade)" if rank else ""))
            return min(rank, 1)
    return None


def _matches(pattern: str, code: str) -> bool:
    if pattern in ("*", code):
        return True
    return pattern.endswith(".*") and code.split(".")[0] == pattern[:-2]


def _site_ok(sop: Sop, site: str | None, reasons: list[str]) -> bool:
    if not sop.applies_to.sites:
        return True
    if site is None:
        reasons.append("site unknown: SOP written for " + ", ".join(sop.applies_to.sites))
        return True
    return site in sop.applies_to.sites


def _severity_ok(sop: Sop, severity: Severity, reasons: list[str]) -> bool:
    levels = [level_index(s) for s in sop.applies_to.severities]
    current = level_index(severity.level)
    if current in levels:
        return True
    if severity.unknowns and max(levels) >= current:
        reasons.append(f"severity {severity.display} may still reach {sop.applies_to.severities}")
        return True
    return False


def _activated(
    active: Sequence[Sop], chosen: list[SopChoice], facts: Mapping[str, Any], limit: int
) -> list[SopChoice]:
    have = {c.sop.id for c in chosen}
    extra: list[SopChoice] = []
    for choice in chosen:
        for rule in choice.sop.escalation:
            if not rule.activate or evaluate(rule.if_, facts) is not True:
                continue
            for sop in active:
                if (
                    sop.id in rule.activate
                    and sop.id not in have
                    and len(chosen) + len(extra) < limit
                ):
                    have.add(sop.id)
                    extra.append(
                        SopChoice(sop, 2, [f"activated by {choice.sop.id}: {describe(rule.if_)}"])
                    )
    return extra
