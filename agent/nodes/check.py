"""Check every scenario against the SOPs (a rule, no model)."""

from __future__ import annotations

from typing import Any, Literal

from agent.context import Deps
from agent.domain import RuleVerdict
from agent.llm.budget import time_for_model
from agent.nodes.common import guard, selected_ids, selected_sops
from agent.rules.compliance import check_scenario
from agent.state import State


def check(state: State, deps: Deps) -> dict[str, Any]:
    """Attach an adherence report to each scenario."""
    sops = selected_sops(state, deps)
    checker, chosen = guard(deps), selected_ids(state)
    checked = [
        s.model_copy(
            update={"adherence": check_scenario(s, sops, state.facts, checker, chosen)}
        )
        for s in state.scenarios
    ]
    verdicts = [
        RuleVerdict(
            rule="compliance",
            verdict=f"scenario {s.id}: "
            + (
                "compliant"
                if s.adherence and s.adherence.compliant
                else f"{len(s.adherence.violations) if s.adherence else 0} violation(s)"
            ),
        )
        for s in checked
    ]
    return {"scenarios": checked, "rules": verdicts, "nodes": ["check"]}


def route_after_check(state: State, deps: Deps) -> Literal["guard", "generate", "repair"]:
    """Compliant: done. A model that may still try in time: feed back. Otherwise: repair by rule."""
    if all(s.adherence and s.adherence.compliant for s in state.scenarios):
        return "guard"
    if (
        state.scenario_origin == "llm"
        and state.repair_round < deps.settings.max_repair_rounds
        and time_for_model(state.deadline_at, deps.settings)
    ):
        return "generate"
    return "repair"
