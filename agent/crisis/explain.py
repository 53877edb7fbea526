"""``crisiscell explain RUN_ID``: where a suggestion came from, in plain words.

A run is as secret as the clearance it ran at (``lineage.clearance``): its lineage,
and its model calls (``crisiscell llm calls``), are read through :func:`visible_run`,
the need-to-know gate for run ids, which answers a missing and a hidden run alike.
"""

from __future__ import annotations

from typing import Any

from agent.domain import Suggestion
from agent.errors import InputError
from agent.rules.need_to_know import Clearance, marking_of, require_found
from agent.settings import Settings
from agent.store.suggestions import SuggestionRepository


def caller_clearance(settings: Settings) -> Clearance:
    """The clearance a read is made at (``CRISISCELL_CLEARANCE`` or ``--clearance``).

    Raises:
        InputError: the clearance does not parse.
    """
    try:
        return Clearance.parse(settings.clearance)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def visible_run(
    suggestions: SuggestionRepository, run_id: str, clearance: Clearance
) -> Suggestion:
    """The stored suggestion of ``run_id``, if ``clearance`` may see the run.

    Raises:
        NotVisible: no such run, or one made above ``clearance`` (the error does not say which).
    """
    stored = suggestions.get(run_id)
    require_found(clearance, _marking(stored), f"run {run_id!r}")
    assert stored is not None
    return stored


def run_is_visible(suggestions: SuggestionRepository, run_id: str, clearance: Clearance) -> bool:
    """Whether ``clearance`` may see this run; a run with no stored suggestion is not."""
    marking = _marking(suggestions.get(run_id))
    return marking is not None and clearance.allows(*marking)


def _marking(stored: Suggestion | None) -> tuple[str, list[str]] | None:
    """The marking a stored run carries; None (refused) when absent or unreadable."""
    try:
        return marking_of(stored.lineage.clearance) if stored else None
    except ValueError:
        return None


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
