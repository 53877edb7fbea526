"""``crisiscell explain RUN_ID``: where a suggestion came from, in plain words."""

from __future__ import annotations

from typing import Any

from agent.domain import Suggestion


def explain(s: Suggestion) -> list[str]:
    """The lineage chain of a suggestion as sentences an auditor can read."""
    lin = s.lineage
    lines = [
        f"Run {lin.run_id} was produced on {lin.created_at:%Y-%m-%d %H:%M:%S %Z} by crisiscell "
        f"{lin.code_version} with the {lin.model} backend"
        + (
            f", for crisis {lin.crisis_id} (checkpoint {lin.checkpoint_id})"
            if lin.crisis_id
            else ""
        )
        + ".",
        f"It read the pack {lin.pack_hash[:16]} (taxonomy v{lin.taxonomy_version}, severity "
        f"scale v{lin.severity_scale_version}) with clearance '{lin.clearance}'.",
    ]
    if lin.prompts:
        lines.append(
            "Prompts: " + ", ".join(f"{node} used {p}" for node, p in lin.prompts.items()) + "."
        )
    lines.append(
        f"The category {s.category.code} was decided by {s.category.origin} "
        f"(confidence {s.category.confidence:.2f}): " + "; ".join(s.category.reasons) + "."
    )
    fired = (
        "; ".join(
            f"{c.label} = {c.value} gives {c.level} ({c.source})" for c in s.severity.criteria
        )
        or "no criterion fired"
    )
    lines.append(f"Severity {s.severity.display} because {fired}.")
    lines += [
        f"SOP {r.id} v{r.version} (sha256 {r.content_hash[:16]}) was applied: "
        f"{'; '.join(r.reasons)}."
        for r in lin.sops
    ]
    if lin.precedent_ids:
        lines.append("Precedents retrieved: " + ", ".join(lin.precedent_ids) + ".")
    else:
        lines.append("No precedent reached the similarity threshold.")
    if any(lin.hidden.values()):
        lines.append(
            "Need-to-know hid "
            + ", ".join(f"{v} {k}" for k, v in lin.hidden.items() if v)
            + " (counts only)."
        )
    lines += [f"Rule {v.rule}: {v.verdict}." for v in lin.rules]
    if s.degraded:
        lines.append("Degraded: " + "; ".join(s.degraded_reasons) + ".")
    lines.append("Nodes run: " + " > ".join(lin.nodes) + ".")
    return lines


def explain_json(s: Suggestion) -> dict[str, Any]:
    """The same chain for machines: lineage plus the decisions it explains."""
    return {
        "lineage": s.lineage.model_dump(mode="json"),
        "category": s.category.model_dump(mode="json"),
        "severity": s.severity.model_dump(mode="json"),
        "degraded": s.degraded,
        "degraded_reasons": s.degraded_reasons,
    }
