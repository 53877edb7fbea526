"""Per-case results: what a replay produced and how each metric scored it (JSON-stable)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.domain import Suggestion
from evals.evaluators import (
    DEFAULT_EVALUATORS,
    EvalContext,
    Evaluator,
    GradedScore,
    Value,
    run_evaluators,
)
from evals.matching import Match


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StepResult(_Result):
    """One suggestion of the replay, reduced to what the metrics and reports need."""

    at_s: float = Field(description="Offset from T0 in seconds.")
    category: str | None = None
    severity: str | None = None
    precedents: list[str] = Field(default_factory=list)
    sops: list[str] = Field(default_factory=list)
    scenarios: int = 0
    compliant: bool | None = None
    degraded: bool = False
    degraded_reasons: list[str] = Field(default_factory=list)
    error: str | None = None
    latency_ms: float
    tokens: int | None = None
    cost_usd: float | None = None


class MatchedPair(_Result):
    """An audit row: a taken (or forbidden) action and its best suggested step."""

    taken: str
    taken_type: str | None
    suggested: str | None
    suggested_type: str | None
    score: float
    matched: bool


class CaseResult(_Result):
    """Everything stored for one case in one repeat of a run."""

    name: str
    repeat: int = 0
    tags: list[str] = Field(default_factory=list)
    difficulty: str = "medium"
    expected_category: str | None = None
    expected_severity: str | None = None
    expected_precedents: list[str] = Field(default_factory=list)
    steps: list[StepResult]
    metrics: dict[str, bool | float | None]
    score: float
    pairs: list[MatchedPair] = Field(default_factory=list)
    forbidden_hits: list[MatchedPair] = Field(default_factory=list)

    @property
    def final(self) -> StepResult:
        """The last step (after every update)."""
        return self.steps[-1]

    def deterministic(self) -> dict[str, Any]:
        """The result without timings: what two offline runs must agree on."""
        data = self.model_dump(mode="json")
        for step in data["steps"]:
            step.pop("latency_ms", None)
        return data


def usage_of(suggestion: Suggestion) -> tuple[int | None, float | None]:
    """Tokens and cost of a suggestion if the model reported them (``Suggestion.usage``)."""
    usage: Any = getattr(suggestion, "usage", None)
    if usage is None:
        return None, None
    if isinstance(usage, BaseModel):
        usage = usage.model_dump()
    if not isinstance(usage, dict):
        return None, None
    tokens = usage.get("total_tokens")
    if tokens is None and ("input_tokens" in usage or "output_tokens" in usage):
        tokens = int(usage.get("input_tokens") or 0) + int(usage.get("output_tokens") or 0)
    cost = usage.get("cost_usd", usage.get("cost"))
    return (int(tokens) if tokens is not None else None), (
        float(cost) if cost is not None else None
    )


def _step(ctx_step: Any) -> StepResult:
    s: Suggestion | None = ctx_step.suggestion
    base = {"at_s": ctx_step.at.total_seconds(), "latency_ms": ctx_step.latency_ms}
    if s is None:
        return StepResult(**base, error=ctx_step.error)
    tokens, cost = usage_of(s)
    adherence = [sc.adherence.compliant for sc in s.scenarios if sc.adherence is not None]
    return StepResult(
        **base,
        category=s.category.code,
        severity=s.severity.level,
        precedents=[p.id for p in s.precedents],
        sops=[r.id for r in s.sops],
        scenarios=len(s.scenarios),
        compliant=all(adherence) if adherence else None,
        degraded=s.degraded,
        degraded_reasons=s.degraded_reasons,
        tokens=tokens,
        cost_usd=cost,
    )


def _pair(m: Match) -> MatchedPair:
    return MatchedPair(
        taken=m.taken,
        taken_type=str(m.taken_type) if m.taken_type else None,
        suggested=m.suggested,
        suggested_type=str(m.suggested_type) if m.suggested_type else None,
        score=m.score,
        matched=m.matched,
    )


def score_case(
    ctx: EvalContext, repeat: int = 0, evaluators: tuple[Evaluator, ...] = DEFAULT_EVALUATORS
) -> CaseResult:
    """Run the evaluators on a replayed case and keep the audit trail."""
    values: dict[str, Value] = run_evaluators(ctx, evaluators)
    case = ctx.case
    return CaseResult(
        name=case.name,
        repeat=repeat,
        tags=case.metadata.tags,
        difficulty=case.metadata.difficulty,
        expected_category=case.expected.category,
        expected_severity=case.expected.severity,
        expected_precedents=case.expected.precedents,
        steps=[_step(s) for s in ctx.steps],
        metrics=values,
        score=GradedScore().grade(values),
        pairs=[_pair(m) for m in ctx.matches],
        forbidden_hits=[_pair(m) for m in ctx.forbidden_hits],
    )
