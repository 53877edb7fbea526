"""Finalise: assemble the suggestion and its lineage."""

from __future__ import annotations

from typing import Any

from agent import __version__
from agent.context import Deps
from agent.domain import Lineage, RuleVerdict, Suggestion, Usage
from agent.llm.base import UsageReporting
from agent.nodes.common import selected_sops
from agent.rules.donts import donts
from agent.rules.erg import distances, load_table
from agent.rules.french import language_of, with_french
from agent.rules.life_safety import decide
from agent.rules.planner import precedent_lessons
from agent.rules.priorities import with_priorities
from agent.rules.severity import max_level
from agent.state import State


def finalise(state: State, deps: Deps) -> dict[str, Any]:
    """Everything the operator sees, plus where it came from."""
    assert state.category is not None and state.severity is not None
    pack = deps.pack
    sops = selected_sops(state, deps)
    safety = decide(state.event.text, state.category, state.facts, state.scenarios)
    table = load_table(deps.settings.home)
    safety.distances = distances(
        table, state.facts.get("substance.un"), state.facts.get("transport.mode")
    )
    verdict = RuleVerdict(rule="life_safety", verdict=f"{safety.decision}: {safety.reason}")
    lineage = Lineage(
        run_id=state.run_id,
        code_version=__version__,
        pack_hash=pack.pack_hash,
        taxonomy_version=pack.taxonomy.version,
        severity_scale_version=pack.scale.version,
        sops=state.sops,
        precedent_ids=[p.id for p in state.precedents],
        rules=[*state.rules, verdict],
        model=deps.llm.name,
        prompts=deps.llm.prompt_ids(),
        nodes=[*state.nodes, "finalise"],
        crisis_id=state.crisis_id or None,
        clearance=state.clearance,
        hidden=state.hidden,
    )
    suggestion = Suggestion(
        event=state.event,
        facts=state.facts,
        spans=state.spans,
        life_safety=safety,
        category=state.category,
        severity=state.severity,
        precedents=state.precedents,
        lessons=precedent_lessons(sops, state.facts, state.precedents),
        donts=donts(sops),
        no_precedent=state.no_precedent,
        sops=state.sops,
        language=language_of(state.event),
        scenarios=[with_priorities(with_french(sc, sops)) for sc in state.scenarios],
        dropped_scenarios=state.dropped,
        notifications=state.notifications,
        degraded=bool(state.degraded_reasons),
        degraded_reasons=state.degraded_reasons,
        blocked=[*state.blocked, *(b for s in state.scenarios for b in s.blocked)],
        usage=_usage(state, deps),
        lineage=lineage,
    )
    floor = state.severity.level
    if state.severity_floor is not None:
        floor = max_level(floor, state.severity_floor)
    return {"suggestion": suggestion, "severity_floor": floor, "nodes": ["finalise"]}


def _usage(state: State, deps: Deps) -> Usage:
    """Model calls, tokens and cost of this run, from backends that count them."""
    if isinstance(deps.llm, UsageReporting):
        return deps.llm.take_usage(state.run_id)
    return Usage()
