"""Repair: make each offending scenario compliant by rule, or drop it."""

from __future__ import annotations

from typing import Any

from agent.context import Deps
from agent.domain import RuleVerdict
from agent.llm.base import ScenarioRequest
from agent.llm.offline import OfflineLLM
from agent.nodes.common import guard, selected_ids, selected_sops
from agent.rules.merge import merge_duplicates
from agent.rules.repair import repair_scenario
from agent.state import State


def repair(state: State, deps: Deps) -> dict[str, Any]:
    """Deterministic repair; if every scenario is dropped, fall back to SOP-derived ones."""
    sops = selected_sops(state, deps)
    checker, chosen = guard(deps), selected_ids(state)
    kept, dropped, verdicts = [], list(state.dropped), []
    for scenario in state.scenarios:
        fixed = repair_scenario(scenario, sops, state.facts, checker, chosen)
        if fixed is None:
            title = "" if checker.check(scenario.title, chosen) else f" '{scenario.title}'"
            dropped.append(f"{scenario.id}{title}: not repairable")
            verdicts.append(RuleVerdict(rule="repair", verdict=f"dropped scenario {scenario.id}"))
        else:
            kept.append(fixed)
            repairs = fixed.adherence.repairs if fixed.adherence else []
            verdicts.append(
                RuleVerdict(
                    rule="repair", verdict=f"scenario {scenario.id}: {len(repairs)} repair(s)"
                )
            )
    degraded: list[str] = []
    if not kept and sops:
        degraded.append("no proposed scenario could be made compliant: SOP-derived scenarios used")
        kept = _offline(state, deps, sops)
    return {
        "scenarios": kept,
        "dropped": dropped,
        "rules": verdicts,
        "degraded_reasons": degraded,
        "nodes": ["repair"],
    }


def _offline(state: State, deps: Deps, sops: list[Any]) -> list[Any]:
    assert state.category is not None and state.severity is not None
    request = ScenarioRequest(
        event=state.event,
        facts=state.facts,
        category=state.category,
        severity=state.severity,
        sops=sops,
        precedents=state.precedents,
    )
    proposed = [merge_duplicates(s, sops) for s in OfflineLLM().propose_scenarios(request)]
    checker, chosen = guard(deps), selected_ids(state)
    return [
        f for s in proposed
        if (f := repair_scenario(s, sops, state.facts, checker, chosen)) is not None
    ]
