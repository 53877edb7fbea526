"""What a backend records about each model call, and where the records go.

Adapters never import the store: they are given a :data:`CallRecorder` (any
callable taking an :class:`LLMCall`). The factory uses the registered call log
(:mod:`agent.llm.call_log`; the SQL one, wired by ``agent/context.py``); tests pass a
:class:`MemoryRecorder`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, Field

from agent.domain import NodeUsage, Usage, utcnow

Price = tuple[float, float]
"""USD per million input tokens, USD per million output tokens."""


class LLMCall(BaseModel):
    """One request to a model and its answer or error, as the call log stores it."""

    run_id: str = ""
    node: str
    model: str
    prompt_id: str
    prompt_hash: str
    request: str
    response: str | None = None
    error: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    created_at: datetime = Field(default_factory=utcnow)

    def usage(self) -> NodeUsage:
        """This call as one unit of usage."""
        return NodeUsage(
            calls=1,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cost_usd=self.cost_usd,
            latency_ms=self.latency_ms,
        )


CallRecorder = Callable[[LLMCall], None]
"""Receives every call a backend makes; must not raise."""


class MemoryRecorder:
    """Keeps calls in a list (tests, ``llm check``)."""

    def __init__(self) -> None:
        self.calls: list[LLMCall] = []

    def __call__(self, call: LLMCall) -> None:
        """Append the call."""
        self.calls.append(call)


def cost(price: Price | None, input_tokens: int, output_tokens: int) -> float:
    """The price of a call in USD; zero when the model has no configured price."""
    if price is None:
        return 0.0
    return (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000


class UsageMeter:
    """Usage per run id, thread-safe, handed over (and forgotten) once the run finalises."""

    def __init__(self) -> None:
        self._runs: dict[str, Usage] = {}
        self._lock = threading.Lock()

    def add(self, call: LLMCall) -> None:
        """Count a call for its run and node."""
        with self._lock:
            self._runs.setdefault(call.run_id, Usage()).add(call.node, call.usage())

    def take(self, run_id: str) -> Usage:
        """The usage of ``run_id`` (zeros if none) and forget it."""
        with self._lock:
            return self._runs.pop(run_id, None) or Usage()
