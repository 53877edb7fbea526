"""What changed between two suggestions on the same crisis thread, in plain words."""

from __future__ import annotations

from agent.domain import Suggestion


def diff_suggestions(before: Suggestion | None, after: Suggestion) -> list[str]:
    """Human-readable changes: category, severity, SOPs, notifications, steps, precedents."""
    if before is None:
        return []
    changes: list[str] = []
    if before.category.code != after.category.code:
        changes.append(f"category {before.category.code} -> {after.category.code}")
    if before.severity.level != after.severity.level:
        changes.append(f"severity {before.severity.level} -> {after.severity.level}")
    if "deescalation_proposed" in after.severity.flags:
        held = next((c for c in after.severity.criteria if c.source == "held"), None)
        changes.append(
            f"severity held at {after.severity.level} ({held.value if held else ''}); "
            "lowering it needs a logged de-escalation decision"
        )
    changes += _set_change("SOP", {s.id for s in before.sops}, {s.id for s in after.sops})
    changes += _set_change(
        "notification", {n.to for n in before.notifications}, {n.to for n in after.notifications}
    )
    changes += _set_change(
        "precedent", {p.id for p in before.precedents}, {p.id for p in after.precedents}
    )
    if before.scenarios and after.scenarios:
        old = {(s.sop_id, s.step_id) for s in before.scenarios[0].steps}
        new = {(s.sop_id, s.step_id) for s in after.scenarios[0].steps}
        changes += _set_change(
            "step (scenario A)", {f"{a}/{b}" for a, b in old}, {f"{a}/{b}" for a, b in new}
        )
    return changes


def _set_change(what: str, before: set[str], after: set[str]) -> list[str]:
    out = [f"+ {what} {x}" for x in sorted(after - before)]
    return out + [f"- {what} {x}" for x in sorted(before - after)]
