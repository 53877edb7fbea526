"""Builders of hand-made cases, suggestions and replay steps with known answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agent.domain import (
    ActionTaken,
    AdherenceReport,
    Category,
    Event,
    Lineage,
    Precedent,
    Scenario,
    ScenarioStep,
    Severity,
    Suggestion,
)
from agent.pack.models import ActionType
from evals.case import CaseExpected, CaseInputs, CaseMetadata, EvalCase
from evals.evaluators import EvalContext
from evals.replay import ReplayStep
from tests.conftest import SHARED_DATA

T0 = datetime(2020, 1, 1, tzinfo=UTC)

needs_shared = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason="../shared/data is absent (real-data suites skipped)"
)


def make_case(**expected: Any) -> EvalCase:
    return EvalCase(
        name="CASE-1",
        inputs=CaseInputs(text="A fire broke out in the warehouse"),
        expected=CaseExpected(**expected),
        metadata=CaseMetadata(source="hand-built", incident_id="INC-SELF"),
    )


def step(action: str, kind: ActionType = ActionType.alert) -> ScenarioStep:
    return ScenarioStep(action=action, action_type=kind)


def make_suggestion(
    code: str = "IND.fire",
    level: str = "S3",
    precedents: tuple[str, ...] = (),
    steps: tuple[ScenarioStep, ...] = (),
    compliant: tuple[bool, ...] = (True,),
    degraded: bool = False,
) -> Suggestion:
    scenarios = [
        Scenario(
            id=f"sc{i}",
            title="t",
            rationale="r",
            steps=list(steps) or [step("Call the fire brigade")],
            adherence=AdherenceReport(compliant=ok),
        )
        for i, ok in enumerate(compliant)
    ]
    return Suggestion(
        event=Event(text="x", reported_at=T0),
        category=Category(code=code, confidence=0.9),
        severity=Severity(level=level),
        precedents=[
            Precedent(
                id=p, title=p, score=0.5, category=code, occurred_at=T0, resolution="r", outcome="o"
            )
            for p in precedents
        ],
        no_precedent=not precedents,
        scenarios=scenarios,
        degraded=degraded,
        degraded_reasons=["x"] if degraded else [],
        lineage=Lineage(
            run_id="r",
            code_version="0",
            pack_hash="h",
            taxonomy_version="1",
            severity_scale_version="1",
            model="offline",
        ),
    )


def ctx_of(
    case: EvalCase, *suggestions: Suggestion | None, error: str | None = None, hindsight: int = 0
) -> EvalContext:
    """A replay of these suggestions, the last ``hindsight`` ones after hindsight updates."""
    first_late = len(suggestions) - hindsight
    steps = [
        ReplayStep(
            timedelta(minutes=10 * i),
            Event(text="x", reported_at=T0),
            s,
            5.0 + i,
            None if s is not None else (error or "LLMError: boom"),
            i >= first_late,
        )
        for i, s in enumerate(suggestions)
    ]
    return EvalContext(case, steps)


def taken(text: str, kind: ActionType | None) -> ActionTaken:
    return ActionTaken(text=text, action_type=kind)
