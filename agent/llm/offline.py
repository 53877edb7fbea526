"""The offline backend: deterministic categorisation and SOP-derived scenarios.

It is the default and the fallback: no network, same answer every time, and good
enough to run a crisis cell on when the model or the network is gone.
"""

from __future__ import annotations

from agent.domain import Category, Scenario, Usage
from agent.llm.base import CategoriseRequest, ScenarioRequest
from agent.rules.categorise import categorise
from agent.rules.planner import build_scenarios

OFFLINE = "offline"


class OfflineLLM:
    """Rules in the place of a model: lexicon categoriser and SOP planner."""

    @property
    def name(self) -> str:
        """Always ``offline``."""
        return OFFLINE

    def categorise(self, request: CategoriseRequest) -> Category:
        """Lexicon, facts and precedent votes (see :mod:`agent.rules.categorise`)."""
        return categorise(
            request.event.text, request.taxonomy, request.facts, request.precedent_votes
        )

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        """By the book, informed by precedent, rapid response (see :mod:`agent.rules.planner`)."""
        return build_scenarios(
            request.sops, request.facts, request.precedents, request.max_scenarios
        )

    def prompt_ids(self) -> dict[str, str]:
        """No prompts: rules only."""
        return {}

    def take_usage(self, run_id: str) -> Usage:
        """No model calls: zeros."""
        return Usage()


def default_llm() -> OfflineLLM:
    """The backend used when nothing is configured."""
    return OfflineLLM()
