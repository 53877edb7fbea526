"""Time budget of a suggestion: how long the next model call may take, or whether to skip it.

The intake node sets ``State.deadline_at`` (now + ``CRISISCELL_DEADLINE_S``). Before
each model call a node asks :func:`call_budget`: when too little time remains the
model is skipped and the offline backend answers, marked degraded; otherwise
each attempt gets ``min(CRISISCELL_LLM_TIMEOUT_S, remaining / (1 + retries))`` so
that the client's retries still fit before the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent.domain import utcnow
from agent.llm.offline import OFFLINE
from agent.settings import Settings


@dataclass(frozen=True)
class Budget:
    """Either a per-attempt timeout for the next call, or why the call is skipped."""

    timeout_s: float | None = None
    skip: str | None = None


def remaining_s(deadline_at: datetime | None, now: datetime | None = None) -> float | None:
    """Seconds left before the deadline (negative once passed); None without a deadline."""
    if deadline_at is None:
        return None
    return (deadline_at - (now or utcnow())).total_seconds()


def call_budget(
    deadline_at: datetime | None, settings: Settings, now: datetime | None = None
) -> Budget:
    """The per-attempt timeout of the next model call, or the reason to skip it."""
    left = remaining_s(deadline_at, now)
    if left is None:
        return Budget(timeout_s=settings.llm_timeout_s)
    if left <= 0:
        return Budget(skip=f"deadline of {settings.deadline_s:g} s passed")
    if left < max(settings.llm_min_time_s, 0.05):
        return Budget(skip=f"only {left:.1f} s left before the deadline")
    per_attempt = left / (1 + settings.llm_max_retries)
    return Budget(timeout_s=min(settings.llm_timeout_s, per_attempt))


def budget_for(llm_name: str, deadline_at: datetime | None, settings: Settings) -> Budget:
    """:func:`call_budget` for a model; the offline backend has no deadline to meet."""
    if llm_name == OFFLINE:
        return Budget()
    return call_budget(deadline_at, settings)


def time_for_model(deadline_at: datetime | None, settings: Settings) -> bool:
    """True when another model call may still start (used by the repair-loop router)."""
    return call_budget(deadline_at, settings).skip is None
