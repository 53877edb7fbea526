"""Retrieve: similar past incidents and how they were resolved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.context import Deps
from agent.domain import Incident, RuleVerdict
from agent.nodes.common import clearance, retriever
from agent.state import State


def incident_filter(state: State) -> Callable[[Incident], bool] | None:
    """Hide excluded incidents from retrieval (None when nothing is hidden)."""
    if not state.exclude_incidents:
        return None
    hidden = frozenset(state.exclude_incidents)
    return lambda incident: incident.id not in hidden


def retrieve(state: State, deps: Deps) -> dict[str, Any]:
    """Top-k precedents above the threshold, or the no-precedent flag."""
    settings = deps.settings
    result = retriever(state, deps).search(
        state.event.text,
        category=state.category,
        site=state.event.site,
        k=settings.top_k,
        threshold=settings.precedent_threshold,
        allow=incident_filter(state),
    )
    verdict = RuleVerdict(
        rule="precedent_threshold",
        verdict=(
            f"{len(result.precedents)} above {settings.precedent_threshold} "
            f"(best {result.best_score}, {result.considered} candidates)"
        ),
    )
    return {
        "precedents": result.precedents,
        "no_precedent": result.no_precedent,
        "rules": [verdict],
        "nodes": ["retrieve"],
        "hidden": {"incidents": deps.hidden_incidents(clearance(state))},
    }
