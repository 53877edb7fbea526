"""Generate scenarios: the LLM seam proposes courses of action from the selected SOPs."""

from __future__ import annotations

from typing import Any

from agent.context import Deps
from agent.errors import LLMError
from agent.llm.base import ScenarioRequest
from agent.llm.offline import OfflineLLM
from agent.nodes.common import selected_sops
from agent.state import State


def generate(state: State, deps: Deps) -> dict[str, Any]:
    """Ask the backend (with the checker's feedback on a repair round); fall back offline."""
    assert state.category is not None and state.severity is not None
    repairing = bool(state.scenarios)
    request = ScenarioRequest(
        event=state.event,
        facts=state.facts,
        category=state.category,
        severity=state.severity,
        sops=selected_sops(state, deps),
        precedents=state.precedents,
        max_scenarios=deps.settings.max_scenarios,
        guidance=state.guidance,
        feedback=[v for s in state.scenarios if s.adherence for v in s.adherence.violations],
        previous=state.scenarios,
    )
    degraded: list[str] = []
    origin = "llm" if deps.llm.name != "offline" else "rules"
    try:
        scenarios = deps.llm.propose_scenarios(request)
        if not scenarios:
            raise LLMError("no scenario returned")
    except LLMError as exc:
        degraded.append(f"scenario generation by {deps.llm.name} failed: {exc}")
        scenarios, origin = OfflineLLM().propose_scenarios(request), "rules"
    scenarios = [s.model_copy(update={"origin": origin, "adherence": None}) for s in scenarios]
    return {
        "scenarios": scenarios[: deps.settings.max_scenarios],
        "scenario_origin": origin,
        "repair_round": state.repair_round + (1 if repairing else 0),
        "degraded_reasons": degraded,
        "nodes": ["generate"],
    }
