"""Guard: the last rule before the operator; no forbidden action gets past it.

The checker and repair already hold scenarios to every prohibition of the pack;
this node also clears the model's categorisation reasons and, should anything
forbidden still be there, removes it and re-checks the scenario. Everything
removed is listed in the suggestion's ``blocked`` and in lineage.
"""

from __future__ import annotations

from typing import Any

from agent.context import Deps
from agent.domain import Blocked, RuleVerdict
from agent.nodes.common import guard as pack_guard
from agent.nodes.common import selected_ids, selected_sops
from agent.rules.repair import repair_scenario
from agent.rules.sanitise import sanitise, sanitise_category
from agent.rules.withhold import sop_index, withhold_unsupported
from agent.state import State


def guard(state: State, deps: Deps) -> dict[str, Any]:
    """Withhold forbidden categorisation reasons; sweep scenarios one last time."""
    assert state.category is not None
    checker, chosen, sops = pack_guard(deps), selected_ids(state), selected_sops(state, deps)
    category, blocked = sanitise_category(state.category, checker, chosen)
    index = sop_index(sops) if _withholds(state, deps) else None
    scenarios, dropped = [], list(state.dropped)
    for scenario in state.scenarios:
        clean = sanitise(scenario, checker, sops, chosen)
        fixed = (
            clean
            if clean is scenario
            else repair_scenario(clean, sops, state.facts, checker, chosen)
        )
        if fixed is None:
            dropped.append(f"{scenario.id}: forbidden text, not repairable")
            continue
        scenarios.append(withhold_unsupported(fixed, index) if index is not None else fixed)
    removed = [*blocked, *(b for s in scenarios for b in s.blocked)]
    return {
        "category": category,
        "scenarios": scenarios,
        "dropped": dropped,
        "blocked": [*state.blocked, *blocked],
        "rules": _verdicts(removed),
        "nodes": ["guard"],
    }


def _withholds(state: State, deps: Deps) -> bool:
    """Default-deny applies, and some scenario carries model words (offline: none, no cost)."""
    supported = deps.settings.model_text == "supported"
    return supported and any(s.origin == "llm" for s in state.scenarios)


def _verdicts(removed: list[Blocked]) -> list[RuleVerdict]:
    """One lineage verdict per removal, or one saying nothing was removed."""
    return [RuleVerdict(rule="guard", verdict=b.summary) for b in removed] or [
        RuleVerdict(rule="guard", verdict="nothing forbidden in the text shown to the operator")
    ]
