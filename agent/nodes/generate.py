"""Generate scenarios: the LLM seam proposes courses of action from the selected SOPs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from agent.context import Deps
from agent.domain import Scenario, utcnow
from agent.errors import LLMError
from agent.llm.base import ScenarioRequest
from agent.llm.budget import budget_for
from agent.llm.offline import OfflineLLM
from agent.nodes.common import selected_sops
from agent.rules.merge import merge_duplicates
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
        run_id=state.run_id,
    )
    degraded: list[str] = []
    origin = "llm" if deps.llm.name != "offline" else "rules"
    deadline_at = _deadline(state, deps)
    scenarios, problem = _ask(request, deps, deadline_at)
    if problem:
        degraded.append(problem)
        scenarios, origin = OfflineLLM().propose_scenarios(request), "rules"
    scenarios = [
        merge_duplicates(s, request.sops).model_copy(update={"origin": origin, "adherence": None})
        for s in scenarios
    ]
    return {
        "scenarios": scenarios[: deps.settings.max_scenarios],
        "scenario_origin": origin,
        "repair_round": state.repair_round + (1 if repairing else 0),
        "deadline_at": deadline_at,
        "degraded_reasons": degraded,
        "nodes": ["generate"],
    }


def _ask(
    request: ScenarioRequest, deps: Deps, deadline_at: datetime | None
) -> tuple[list[Scenario], str | None]:
    """The model's scenarios, or why there are none (skipped at the deadline, failed, empty)."""
    budget = budget_for(deps.llm.name, deadline_at, deps.settings)
    if budget.skip:
        return [], f"scenario generation by {deps.llm.name} skipped: {budget.skip}"
    try:
        scenarios = deps.llm.propose_scenarios(
            request.model_copy(update={"timeout_s": budget.timeout_s})
        )
    except LLMError as exc:
        return [], f"scenario generation by {deps.llm.name} failed: {exc}"
    if not scenarios:
        return [], f"scenario generation by {deps.llm.name} failed: no scenario returned"
    return scenarios, None


def _deadline(state: State, deps: Deps) -> datetime | None:
    """This run's deadline; a run that skipped intake (a regenerate request) starts a new one."""
    if "intake" in state.nodes:
        return state.deadline_at
    return utcnow() + timedelta(seconds=deps.settings.deadline_s)
