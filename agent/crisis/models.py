"""Decisions an operator takes on a crisis thread, and what the thread records."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from agent.domain import Model, Scenario, utcnow
from agent.pack.models import SeverityLevel

DecisionKind = Literal["approve", "reject", "regenerate", "update", "deescalate", "close"]


class Decision(Model):
    """One operator decision; it resumes the paused crisis graph."""

    kind: DecisionKind
    author: str
    at: datetime = Field(default_factory=utcnow)
    scenario: int | None = Field(default=None, ge=1, le=3, description="1-based, for approve.")
    accept_unvetted: list[int] = Field(
        default_factory=list,
        description="1-based numbers of the scenario's unvetted model steps the operator accepts.",
    )
    edited: Scenario | None = Field(default=None, description="An edited scenario to approve.")
    reason: str | None = None
    guidance: str | None = None
    text: str | None = Field(default=None, description="Situation update text.")
    facts: dict[str, Any] = Field(default_factory=dict, description="Situation update facts.")
    to_level: SeverityLevel | None = Field(default=None, description="For deescalate.")
    resolution: str | None = None
    outcome: str | None = None


class Approval(Model):
    """The course of action the operator approved, with its compliance verdict at the time."""

    scenario: Scenario
    run_id: str
    author: str
    at: datetime
    edited: bool
    compliant: bool
