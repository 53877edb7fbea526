"""Categorise: the LLM seam proposes, the taxonomy decides what is allowed, the rules check it."""

from __future__ import annotations

import logging
from typing import Any

from agent.context import Deps
from agent.domain import Blocked, Category, RuleVerdict
from agent.errors import LLMError
from agent.llm.base import CategoriseRequest
from agent.llm.budget import budget_for
from agent.nodes.common import retriever
from agent.rules.categorise import categorise as rules_categorise
from agent.rules.crosscheck import cross_checked, destuffed
from agent.rules.withhold import report_index, withhold_reasons
from agent.state import State

VOTES = 5
log = logging.getLogger(__name__)


def categorise(state: State, deps: Deps) -> dict[str, Any]:
    """Ask the backend; fall back to the rules on error or an unknown code; cross-check it."""
    votes = _precedent_votes(state, deps)
    request = CategoriseRequest(
        event=state.event, facts=state.facts, taxonomy=deps.pack.taxonomy, precedent_votes=votes
    )
    rules = _by_rules(request)
    degraded: list[str] = []
    category, problem = _ask(request, deps, state)
    if problem or category is None:
        degraded.append(problem or "no category")
        category = rules
    verdicts = [
        RuleVerdict(
            rule="taxonomy",
            verdict=f"{category.code} ({category.origin}, confidence {category.confidence})",
        )
    ]
    withheld: list[Blocked] = []
    if category.origin != "rules":
        if deps.settings.model_text == "supported":
            index = report_index(category, state.event.text, deps.pack.taxonomy)
            category, withheld = withhold_reasons(category, index)
        category, why = cross_checked(category, rules)
        if why:
            log.warning("run %s: %s", state.run_id, why)
            verdicts.append(RuleVerdict(rule="category_crosscheck", verdict=why))
    return {
        "category": category,
        "blocked": withheld,
        "degraded_reasons": degraded,
        "rules": verdicts,
        "nodes": ["categorise"],
    }


def _by_rules(request: CategoriseRequest) -> Category:
    """The rules' category, on the event text with keyword stuffing collapsed."""
    text = destuffed(request.event.text)
    return rules_categorise(text, request.taxonomy, request.facts, request.precedent_votes)


def _ask(
    request: CategoriseRequest, deps: Deps, state: State
) -> tuple[Category | None, str | None]:
    """The model's category, or why it cannot be used (skipped at the deadline, failed, invalid)."""
    if deps.llm.name == "offline":
        return _by_rules(request), None
    budget = budget_for(deps.llm.name, state.deadline_at, deps.settings)
    if budget.skip:
        return None, f"categorisation by {deps.llm.name} skipped: {budget.skip}"
    request = request.model_copy(update={"run_id": state.run_id, "timeout_s": budget.timeout_s})
    try:
        category = deps.llm.categorise(request)
    except LLMError as exc:
        return None, f"categorisation by {deps.llm.name} failed: {exc}"
    return category, _invalid(category, deps)


def _precedent_votes(state: State, deps: Deps) -> list[tuple[str, float, str]]:
    """Similar incidents found on text alone, so history can tip an ambiguous report."""
    found = retriever(state, deps).search(
        state.event.text,
        site=state.event.site,
        k=VOTES,
        threshold=deps.settings.precedent_threshold,
        exclude=frozenset(state.exclude_incidents),
    )
    return [(p.category, p.score, p.id) for p in found.precedents]


def _invalid(category: Category, deps: Deps) -> str | None:
    taxonomy = deps.pack.taxonomy
    unknown = [c for c in [category.code, *category.secondary] if taxonomy.subtype(c) is None]
    if unknown:
        return f"{deps.llm.name} proposed codes outside the taxonomy: {', '.join(unknown)}"
    return None
