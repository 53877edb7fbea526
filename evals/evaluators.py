"""Evaluators: small dataclasses with ``evaluate(ctx) -> bool | float | None``.

Deterministic checks only (no LLM judge yet). ``None`` means "not applicable to
this case" (no expected category, no taken actions...) and such cases are left
out of that metric's aggregate. Each evaluator's ``name`` is its metric key.

The graded score follows incident.io's 100/65/35/0 spirit:

* **0** - a hard failure: the replay errored, a scenario broke an SOP rule, a
  forbidden action was suggested, or the category family is wrong;
* otherwise the applicable soft checks (subtype right, severity within one
  level, a relevant precedent in the top 5, at least half the taken actions
  covered) decide: all pass **100**, at least half **65**, fewer **35**.

When they read the replay (``EvalContext.at``): ``t0`` is the first step;
``known`` the step after the last *live* update; ``final`` the last step, after
the hindsight updates too (an archive case's recorded outcome). Category,
precedents and action coverage read what was known live (``known``, or ``t0``
for the ``_t0`` variants), so a case's recorded outcome never helps them;
severity compares the hindsight severity with ``final`` (``severity_within_one_t0``
keeps the T0 figure visible). The invariants (SOP compliance, forbidden actions,
degraded, errors) read every step, hindsight ones included: a suggestion made
after the outcome is still a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol

from agent.domain import Suggestion
from agent.pack.models import SEVERITY_LEVELS
from evals.case import EvalCase
from evals.matching import (
    FORBIDDEN_THRESHOLD,
    MATCH_THRESHOLD,
    Candidate,
    Match,
    best_match,
    candidates_of,
)
from evals.replay import ReplayStep

Value = bool | float | None
When = Literal["t0", "known", "final"]


@dataclass
class EvalContext:
    """One replayed case: the case, its steps, and the matches computed once."""

    case: EvalCase
    steps: Sequence[ReplayStep]
    threshold: float = MATCH_THRESHOLD

    @property
    def suggestions(self) -> list[Suggestion]:
        """The suggestions that were produced (errored steps left out)."""
        return [s.suggestion for s in self.steps if s.suggestion is not None]

    @property
    def live_steps(self) -> list[ReplayStep]:
        """The steps before the first hindsight update: what was known as it happened."""
        live: list[ReplayStep] = []
        for s in self.steps:
            if s.hindsight:
                break
            live.append(s)
        return live

    def at(self, when: When) -> Suggestion | None:
        """The suggestion at ``when`` (module docstring); None if that step errored."""
        steps = self.live_steps if when == "known" else self.steps
        if not steps:
            return None
        return steps[0 if when == "t0" else -1].suggestion

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every step suggested live (before hindsight), at any time, in any scenario."""
        return _candidates(s.suggestion for s in self.live_steps)

    @cached_property
    def all_candidates(self) -> list[Candidate]:
        """Every step suggested during the whole replay, hindsight steps included."""
        return _candidates(s.suggestion for s in self.steps)

    @cached_property
    def matches(self) -> list[Match]:
        """The best suggested step for each action really taken."""
        return [
            best_match(a.text, a.action_type, self.candidates, self.threshold)
            for a in self.case.expected.actions
        ]

    @cached_property
    def forbidden_hits(self) -> list[Match]:
        """Suggested steps (any step, hindsight included) that match a forbidden action."""
        found = [
            best_match(f.text, f.action_type, self.all_candidates, FORBIDDEN_THRESHOLD)
            for f in self.case.expected.forbidden
        ]
        return [m for m in found if m.matched]


def _candidates(suggestions: Iterable[Suggestion | None]) -> list[Candidate]:
    """The scenario steps of the given suggestions, ready for matching."""
    steps = [st for s in suggestions if s is not None for sc in s.scenarios for st in sc.steps]
    return candidates_of(steps)


class Evaluator(Protocol):
    """Anything with a metric name and ``evaluate``."""

    @property
    def name(self) -> str:
        """The metric key."""
        ...

    def evaluate(self, ctx: EvalContext) -> Value:
        """The value for one case, or None when not applicable."""
        ...


def _accepted(ctx: EvalContext) -> list[str]:
    expected = ctx.case.expected
    return [expected.category, *expected.also_accept] if expected.category else []


@dataclass(frozen=True)
class CategorySubtype:
    """The predicted ``FAMILY.subtype`` is the expected one (or an accepted alternative)."""

    when: When = "known"

    @property
    def name(self) -> str:
        """Metric key."""
        return "category_subtype_accuracy" + ("_t0" if self.when == "t0" else "")

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when right; None without an expected category."""
        accepted, got = _accepted(ctx), ctx.at(self.when)
        if not accepted:
            return None
        return got is not None and got.category.code in accepted


@dataclass(frozen=True)
class CategoryFamily:
    """The predicted family (``IND`` of ``IND.fire``) is the expected one."""

    when: When = "known"

    @property
    def name(self) -> str:
        """Metric key."""
        return "category_family_accuracy" + ("_t0" if self.when == "t0" else "")

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when right; None without an expected category."""
        accepted, got = _accepted(ctx), ctx.at(self.when)
        if not accepted:
            return None
        return got is not None and got.category.family in {c.split(".")[0] for c in accepted}


@dataclass(frozen=True)
class SeverityMatch:
    """The severity is within ``tolerance`` levels of the expected one (0 = exact).

    The expected severity is a hindsight one (how bad the crisis turned out), so it
    is compared with the ``final`` step, after the recorded course.
    """

    tolerance: int = 0
    when: When = "final"

    @property
    def name(self) -> str:
        """Metric key."""
        base = "severity_exact" if self.tolerance == 0 else "severity_within_one"
        return base + ("_t0" if self.when == "t0" else "")

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when close enough; None without an expected severity."""
        expected, got = ctx.case.expected.severity, ctx.at(self.when)
        if expected is None:
            return None
        if got is None:
            return False
        gap = abs(SEVERITY_LEVELS.index(got.severity.level) - SEVERITY_LEVELS.index(expected))
        return gap <= self.tolerance


def _ranked(ctx: EvalContext) -> list[str]:
    got = ctx.at("known")
    return [p.id for p in got.precedents] if got is not None else []


@dataclass(frozen=True)
class PrecedentRecall:
    """Share of the expected precedents in the top k, out of ``min(k, |expected|)``."""

    k: int = 5

    @property
    def name(self) -> str:
        """Metric key."""
        return f"precedent_recall_at_{self.k}"

    def evaluate(self, ctx: EvalContext) -> Value:
        """A share in [0, 1]; None without expected precedents."""
        relevant = set(ctx.case.expected.precedents)
        if not relevant:
            return None
        hits = len(relevant & set(_ranked(ctx)[: self.k]))
        return round(hits / min(self.k, len(relevant)), 4)


@dataclass(frozen=True)
class PrecedentHit:
    """At least one expected precedent in the top k."""

    k: int = 5

    @property
    def name(self) -> str:
        """Metric key."""
        return f"precedent_hit_at_{self.k}"

    def evaluate(self, ctx: EvalContext) -> Value:
        """True on a hit; None without expected precedents."""
        relevant = set(ctx.case.expected.precedents)
        if not relevant:
            return None
        return bool(relevant & set(_ranked(ctx)[: self.k]))


@dataclass(frozen=True)
class PrecedentMRR:
    """Reciprocal rank of the first expected precedent (0 when none is retrieved)."""

    name: str = "precedent_mrr"

    def evaluate(self, ctx: EvalContext) -> Value:
        """1/rank in (0, 1], or 0; None without expected precedents."""
        relevant = set(ctx.case.expected.precedents)
        if not relevant:
            return None
        for rank, pid in enumerate(_ranked(ctx), start=1):
            if pid in relevant:
                return round(1.0 / rank, 4)
        return 0.0


@dataclass(frozen=True)
class ActionCoverage:
    """Share of the actions really taken that some suggested step covers."""

    name: str = "action_coverage"

    def evaluate(self, ctx: EvalContext) -> Value:
        """A share in [0, 1]; None when the case records no action."""
        if not ctx.matches:
            return None
        return round(sum(m.matched for m in ctx.matches) / len(ctx.matches), 4)


@dataclass(frozen=True)
class SopCompliance:
    """Every scenario of every step passed the deterministic SOP checks."""

    name: str = "sop_compliance_rate"

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when all compliant; None when no scenario was produced."""
        scenarios = [sc for s in ctx.suggestions for sc in s.scenarios]
        if not scenarios:
            return None
        return all(sc.adherence is not None and sc.adherence.compliant for sc in scenarios)


@dataclass(frozen=True)
class ForbiddenSuggested:
    """A suggested step matches an action the case forbids (must never happen)."""

    name: str = "forbidden_action_rate"

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when a forbidden action was suggested."""
        return bool(ctx.forbidden_hits)


@dataclass(frozen=True)
class Degraded:
    """Some step fell back to the offline rules."""

    name: str = "degraded_rate"

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when any suggestion was degraded."""
        return any(s.degraded for s in ctx.suggestions)


@dataclass(frozen=True)
class Errored:
    """Some step raised a typed error instead of answering."""

    name: str = "error_rate"

    def evaluate(self, ctx: EvalContext) -> Value:
        """True when any step errored."""
        return any(s.error is not None for s in ctx.steps)


@dataclass(frozen=True)
class GradedScore:
    """incident.io-style 100/65/35/0 from the other metrics (see the module docstring)."""

    name: str = "score"
    hard: tuple[str, ...] = ("error_rate", "forbidden_action_rate")
    soft: tuple[str, ...] = field(
        default=(
            "category_subtype_accuracy",
            "severity_within_one",
            "precedent_hit_at_5",
            "action_coverage",
        )
    )

    def grade(self, values: dict[str, Value]) -> float:
        """The score from already computed metric values."""
        if any(values.get(h) for h in self.hard) or values.get("sop_compliance_rate") is False:
            return 0.0
        if values.get("category_family_accuracy") is False:
            return 0.0
        passed = [self._passes(k, values[k]) for k in self.soft if values.get(k) is not None]
        if not passed or all(passed):
            return 100.0
        return 65.0 if sum(passed) * 2 >= len(passed) else 35.0

    @staticmethod
    def _passes(key: str, value: Value) -> bool:
        if key == "action_coverage":
            return float(value or 0.0) >= 0.5
        return bool(value)

    def evaluate(self, ctx: EvalContext) -> Value:
        """Grade a context directly (runs the default evaluators)."""
        return self.grade(run_evaluators(ctx, DEFAULT_EVALUATORS))


DEFAULT_EVALUATORS: tuple[Evaluator, ...] = (
    CategoryFamily(),
    CategorySubtype(),
    CategoryFamily("t0"),
    CategorySubtype("t0"),
    SeverityMatch(0),
    SeverityMatch(1),
    SeverityMatch(1, "t0"),
    PrecedentRecall(5),
    PrecedentHit(5),
    PrecedentMRR(),
    ActionCoverage(),
    SopCompliance(),
    ForbiddenSuggested(),
    Degraded(),
    Errored(),
)
"""The metric registry: every per-case metric, in report order.

A new evaluator goes here and nowhere else: :data:`HEADLINE` (what summaries,
reports, comparisons and the console aggregate) is derived from it.
"""

SCORE = GradedScore()
"""The graded score, computed from the registry's values (last in the headline)."""


def headline(evaluators: Sequence[Evaluator] = DEFAULT_EVALUATORS) -> tuple[str, ...]:
    """The aggregated metric names: each evaluator's, in order, then the graded score.

    Raises:
        ValueError: two evaluators share a metric name.
    """
    names = (*(e.name for e in evaluators), SCORE.name)
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"evaluators share metric names: {', '.join(duplicates)}")
    return names


HEADLINE: tuple[str, ...] = headline()
"""Aggregated metrics, in report order (each also a top-level key of the summary)."""


def run_evaluators(ctx: EvalContext, evaluators: Sequence[Evaluator]) -> dict[str, Value]:
    """Each evaluator's value for one case, keyed by metric name."""
    return {e.name: e.evaluate(ctx) for e in evaluators}
