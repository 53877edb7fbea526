"""Severity S1-S5 from the YAML scale: highest level across known dimensions, then floors.

Pure functions, no LangGraph: the severity node is a thin wrapper around
:func:`score_severity`. Unknown dimensions are listed, never scored as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agent.domain import Criterion, Severity
from agent.pack.models import SEVERITY_LEVELS, Dimension, SeverityLevel, SeverityScale, Sop
from agent.rules.conditions import describe, evaluate, get_fact, has_fact

SEVESO_FLAG = "seveso_annex_vi"


def level_index(level: str) -> int:
    """0 for S1 ... 4 for S5."""
    return SEVERITY_LEVELS.index(level)


def max_level(*levels: SeverityLevel) -> SeverityLevel:
    """The highest of the given levels."""
    return max(levels, key=level_index)


def dimension_level(dimension: Dimension, value: Any) -> SeverityLevel | None:
    """The level one dimension reaches for a value, or None when the value does not fit."""
    if dimension.values:
        return dimension.values.get(str(value))
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    reached: SeverityLevel = "S1"
    for band in dimension.bands:
        if number >= band.gte:
            reached = max_level(reached, band.level)
    return reached


@dataclass(frozen=True)
class Proxy:
    """A weaker fact that bounds an unknown dimension from below, scaled to its unit."""

    target: str
    source: str
    factor: float = 1.0


# People overcome or intoxicated ("deux agents incommodés") are at least slight injuries;
# the time elapsed since the event began ("since 14 hours") is a lower bound of the
# response's duration.
PROXIES = (
    Proxy("casualties.injured", "casualties.exposed"),
    Proxy("duration.hours", "event.elapsed_minutes", 1 / 60),
)


def proxied_sources(facts: Mapping[str, Any]) -> dict[str, str]:
    """For each unknown dimension fact a known weaker fact bounds, the source's path."""
    return {
        p.target: p.source
        for p in PROXIES
        if not has_fact(facts, p.target) and has_fact(facts, p.source)
    }


def with_proxies(facts: Mapping[str, Any], from_text: set[str]) -> Mapping[str, Any]:
    """The facts with each unknown proxied dimension set from its lower bound."""
    missing = [p for p in PROXIES if p.target in proxied_sources(facts)]
    if not missing:
        return facts
    out = dict(facts)
    for proxy in missing:
        value = get_fact(facts, proxy.source)
        if proxy.factor != 1.0 and isinstance(value, int | float):
            value = round(value * proxy.factor, 2)
        out[proxy.target] = value
        if proxy.source in from_text:
            from_text.add(proxy.target)
    return out


def score_severity(
    scale: SeverityScale, facts: Mapping[str, Any], from_text: set[str] | None = None
) -> Severity:
    """Score every dimension, apply regulatory floors, and list what is unknown."""
    from_text = set(from_text or ())
    proxied = proxied_sources(facts)
    facts = with_proxies(facts, from_text)
    criteria: list[Criterion] = []
    unknowns: list[str] = []
    level: SeverityLevel = "S1"
    for dim in scale.dimensions:
        if not has_fact(facts, dim.fact):
            unknowns.append(dim.id)
            continue
        value = get_fact(facts, dim.fact)
        reached = dimension_level(dim, value)
        if reached is None or reached == "S1":
            continue
        source = "text" if dim.fact in from_text else "fact"
        label = f"{dim.label} (read from {proxied[dim.fact]})" if dim.fact in proxied else dim.label
        criteria.append(
            Criterion(dimension=dim.id, label=label, value=value, level=reached, source=source)
        )
        level = max_level(level, reached)
    severity = Severity(level=level, criteria=criteria, unknowns=unknowns)
    return apply_floors(scale, severity, facts)


def apply_floors(scale: SeverityScale, severity: Severity, facts: Mapping[str, Any]) -> Severity:
    """Raise severity to regulatory floors that fire; Seveso hits are reportable on Seveso sites."""
    result = severity.model_copy(deep=True)
    for floor in scale.floors:
        if evaluate(floor.if_, facts) is not True:
            continue
        result.criteria.append(
            Criterion(
                dimension=floor.id,
                label=floor.label,
                value=describe(floor.if_),
                level=floor.level,
                source="floor",
            )
        )
        result.level = max_level(result.level, floor.level)
        if floor.flag and floor.flag not in result.flags:
            result.flags.append(floor.flag)
    seveso_site = get_fact(facts, "site.seveso") in ("lower", "upper")
    result.reportable = SEVESO_FLAG in result.flags and seveso_site
    return result


def hold_severity(severity: Severity, floor: SeverityLevel | None) -> Severity:
    """Never lower severity silently: below the floor, hold it and say what the rules proposed.

    The floor is the highest level reached so far on a crisis thread; only a logged
    de-escalation decision lowers it.
    """
    if floor is None or level_index(severity.level) >= level_index(floor):
        return severity
    held = severity.model_copy(deep=True)
    held.criteria.append(
        Criterion(
            dimension="held",
            label=f"held at {floor} until a logged de-escalation decision",
            value=f"rules now give {severity.level}",
            level=floor,
            source="held",
        )
    )
    held.level = floor
    if "deescalation_proposed" not in held.flags:
        held.flags.append("deescalation_proposed")
    return held


MAJOR_ACCIDENT_FAMILIES = ("IND", "TRN")


def seveso_reportable(severity: Severity, codes: Sequence[str], facts: Mapping[str, Any]) -> bool:
    """Annex VI reporting concerns major accidents on a Seveso site, not every hit of a floor.

    A grid outage that leaves a Seveso site without power crosses the utilities
    threshold but is not a major accident of the establishment; an industrial or
    hazmat event (primary or cascade code) on that site is.
    """
    on_seveso_site = get_fact(facts, "site.seveso") in ("lower", "upper")
    accident = any(code.split(".")[0] in MAJOR_ACCIDENT_FAMILIES for code in codes)
    return SEVESO_FLAG in severity.flags and on_seveso_site and accident


def apply_escalations(severity: Severity, sops: list[Sop], facts: Mapping[str, Any]) -> Severity:
    """Raise severity where an applicable SOP's escalation rule fires; never lower it."""
    result = severity.model_copy(deep=True)
    for sop in sops:
        for rule in sop.escalation:
            if rule.set_severity_min is None and rule.flag is None:
                continue
            if evaluate(rule.if_, facts) is not True:
                continue
            if rule.set_severity_min:
                result.criteria.append(
                    Criterion(
                        dimension=f"{sop.id}:escalation",
                        label=describe(rule.if_),
                        value=True,
                        level=rule.set_severity_min,
                        source="escalation",
                    )
                )
                result.level = max_level(result.level, rule.set_severity_min)
            if rule.flag and rule.flag not in result.flags:
                result.flags.append(rule.flag)
    return result
