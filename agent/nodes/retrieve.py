"""Retrieve: similar past incidents and how they were resolved."""

from __future__ import annotations

from typing import Any

from agent.context import Deps
from agent.domain import RuleVerdict
from agent.nodes.common import clearance, retriever
from agent.state import State


def retrieve(state: State, deps: Deps) -> dict[str, Any]:
    """Top-k precedents above the threshold, or the no-precedent flag."""
    settings = deps.settings
    result = retriever(state, deps).search(
        state.event.text,
        category=state.category,
        site=state.event.site,
        k=settings.top_k,
        threshold=settings.precedent_threshold,
        exclude=frozenset(state.exclude_incidents),
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
