"""Crisis threads: pause for the operator, then apply what they decided."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from langgraph.types import Overwrite, interrupt

from agent.context import Deps
from agent.domain import Approval, Decision, Event, Scenario
from agent.errors import InputError
from agent.nodes.common import guard, selected_ids, selected_sops
from agent.rules.compliance import check_scenario
from agent.rules.facts import flatten
from agent.state import State

RESET = {"rules": Overwrite([]), "nodes": Overwrite([]), "degraded_reasons": Overwrite([]),
         "hidden": Overwrite({})}


def await_decision(state: State, deps: Deps) -> dict[str, Any]:
    """Pause the thread until an operator decides; the checkpoint survives the process."""
    answer = interrupt({"crisis_id": state.crisis_id, "run_id": state.run_id})
    return {"decision": Decision.model_validate(answer)}


def apply_decision(state: State, deps: Deps) -> dict[str, Any]:
    """Turn the decision into state changes; routing decides what runs next."""
    decision = state.decision
    assert decision is not None
    handlers = {"approve": _approve, "regenerate": _regenerate, "update": _update,
                "deescalate": _deescalate}
    if decision.kind in handlers:
        return handlers[decision.kind](state, deps, decision)
    if decision.kind == "close":
        return {"closed": True}
    return {}


def route_after_decision(
    state: State, deps: Deps
) -> Literal["await_decision", "generate", "intake", "__end__"]:
    """Approve/reject wait for the next decision; update and regenerate re-run the pipeline."""
    kind = state.decision.kind if state.decision else "reject"
    if kind == "close":
        return "__end__"
    if kind == "regenerate":
        return "generate"
    if kind in ("update", "deescalate"):
        return "intake"
    return "await_decision"


def _fresh_run() -> dict[str, Any]:
    return {"run_id": uuid.uuid4().hex[:16], "scenarios": [], "repair_round": 0, **RESET}


def _approve(state: State, deps: Deps, decision: Decision) -> dict[str, Any]:
    scenario = decision.edited or _pick(state, decision.scenario)
    scenario = accept_unvetted(scenario, decision.accept_unvetted, decision.author)
    report = check_scenario(scenario, selected_sops(state, deps), state.facts,
                            guard(deps), selected_ids(state))
    approved = scenario.model_copy(update={"adherence": report,
                                           "origin": "operator" if decision.edited
                                           else scenario.origin})
    approval = Approval(scenario=approved, run_id=state.run_id, author=decision.author,
                        at=decision.at, edited=decision.edited is not None,
                        compliant=report.compliant)
    return {"approval": approval}


def accept_unvetted(scenario: Scenario, numbers: list[int], author: str) -> Scenario:
    """The scenario with the operator-accepted unvetted steps moved into its plan."""
    if not numbers:
        return scenario
    bad = [n for n in numbers if not 1 <= n <= len(scenario.unvetted)]
    if bad:
        raise InputError(f"scenario {scenario.id} has no unvetted step {bad[0]} "
                         f"(1..{len(scenario.unvetted)})")
    accepted = [s.model_copy(update={"vetted_by": author})
                for n, s in enumerate(scenario.unvetted, 1) if n in numbers]
    left = [s for n, s in enumerate(scenario.unvetted, 1) if n not in numbers]
    return scenario.model_copy(update={"steps": [*scenario.steps, *accepted], "unvetted": left})


def _pick(state: State, number: int | None) -> Any:
    if number is None or not 1 <= number <= len(state.scenarios):
        raise InputError(f"scenario {number} does not exist (1..{len(state.scenarios)})")
    return state.scenarios[number - 1]


def _regenerate(state: State, deps: Deps, decision: Decision) -> dict[str, Any]:
    return {**_fresh_run(), "guidance": decision.guidance}


def _update(state: State, deps: Deps, decision: Decision) -> dict[str, Any]:
    event = state.event
    text = event.text
    if decision.text:
        text = f"{text}\n[update {decision.at:%H:%M}] {decision.text.strip()}"
    facts = {**flatten(event.facts), **flatten(decision.facts)}
    updated = Event(text=text, reported_at=event.reported_at, site=event.site,
                    facts=facts, un_number=event.un_number, language=event.language)
    return {**_fresh_run(), "event": updated, "guidance": None}


def _deescalate(state: State, deps: Deps, decision: Decision) -> dict[str, Any]:
    return {**_fresh_run(), "severity_floor": decision.to_level}
