"""Test doubles at our own seam: a scripted LLM and small domain builders."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from typing import Any

from agent.domain import ActionTaken, Category, Incident, Scenario
from agent.errors import LLMError
from agent.llm.base import CategoriseRequest, ScenarioRequest


class FakeLLM:
    """Replays queued answers (or raises queued errors) and records every request."""

    def __init__(self, name: str = "fake:model") -> None:
        self._name = name
        self.categories: deque[Category | LLMError] = deque()
        self.scenarios: deque[list[Scenario] | LLMError] = deque()
        self.requests: list[CategoriseRequest | ScenarioRequest] = []

    @property
    def name(self) -> str:
        return self._name

    def enqueue_category(self, answer: Category | LLMError) -> FakeLLM:
        self.categories.append(answer)
        return self

    def enqueue_scenarios(self, answer: list[Scenario] | LLMError) -> FakeLLM:
        self.scenarios.append(answer)
        return self

    def categorise(self, request: CategoriseRequest) -> Category:
        self.requests.append(request)
        answer = self.categories.popleft() if self.categories else LLMError("nothing queued")
        if isinstance(answer, LLMError):
            raise answer
        return answer

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        self.requests.append(request)
        answer = self.scenarios.popleft() if self.scenarios else LLMError("nothing queued")
        if isinstance(answer, LLMError):
            raise answer
        return answer

    def prompt_ids(self) -> dict[str, str]:
        return {"categorise": "fake-categorise@0", "generate": "fake-generate@0"}


def incident(
    id: str,
    title: str,
    summary: str,
    category: str,
    *,
    site: str | None = None,
    actions: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> Incident:
    return Incident(
        id=id,
        title=title,
        summary=summary,
        category=category,
        site=site,
        occurred_at=datetime(2020, 1, 1, tzinfo=UTC),
        severity="S3",
        actions=[ActionTaken(text=t, action_type=a) for t, a in (actions or [])],
        resolution=f"{title} resolved",
        outcome="no lasting damage",
        source="test",
        **extra,
    )
