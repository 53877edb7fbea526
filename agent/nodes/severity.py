"""Severity: the YAML scale applied to the facts (a rule, no model)."""

from __future__ import annotations

from typing import Any

from agent.context import Deps
from agent.domain import RuleVerdict
from agent.rules.evidence import cite_criteria
from agent.rules.severity import score_severity
from agent.state import State


def severity(state: State, deps: Deps) -> dict[str, Any]:
    """Score S1-S5 with the criteria that fired and what is unknown."""
    result = score_severity(deps.pack.scale, state.facts, set(state.from_text))
    result = cite_criteria(result, deps.pack.scale, state.spans)
    fired = ", ".join(f"{c.dimension}={c.value}->{c.level}" for c in result.criteria) or "none"
    verdict = RuleVerdict(rule="severity_scale", verdict=f"{result.display}; fired: {fired}")
    return {"severity": result, "rules": [verdict], "nodes": ["severity"]}
