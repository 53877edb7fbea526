"""Graph state: the incident report in, working memory, the suggestion out."""

from __future__ import annotations

import operator
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from agent.domain import (
    Approval,
    Blocked,
    Category,
    Decision,
    Event,
    NotificationDue,
    Precedent,
    RuleVerdict,
    Scenario,
    Severity,
    SopRef,
    Suggestion,
)
from agent.pack.models import SeverityLevel


def _add_counts(left: dict[str, int], right: dict[str, int]) -> dict[str, int]:
    """Reducer: sum need-to-know counts reported by several nodes."""
    merged = dict(left)
    for key, value in right.items():
        merged[key] = merged.get(key, 0) + value
    return merged


class InputState(BaseModel):
    """What a caller gives the graph."""

    event: Event
    """The reported event."""
    guidance: str | None = None
    """Operator guidance for scenario generation (a regenerate request)."""
    run_id: str = ""
    """Set by the caller to correlate logs; generated when empty."""
    exclude_incidents: list[str] = Field(default_factory=list)
    """Incident ids retrieval must not see (an eval case replaying its own incident)."""
    clearance: str = "internal"
    """Need-to-know: marking level and compartments, e.g. ``restricted:ops``."""
    crisis_id: str = ""
    """The crisis thread this run belongs to (empty for a one-off suggestion)."""


class State(InputState):
    """Working memory; each node returns only the keys it changes."""

    deadline_at: datetime | None = None
    """When the suggestion is due (now + CRISISCELL_DEADLINE_S); then no more model calls."""
    facts: dict[str, Any] = Field(default_factory=dict)
    """Structured facts plus facts read from the text, as dotted paths."""
    from_text: list[str] = Field(default_factory=list)
    """Fact paths that were read from the text rather than given."""
    spans: dict[str, str] = Field(default_factory=dict)
    """For each fact read from the text, the words it was read from."""
    category: Category | None = None
    """Primary category, cascades and reasons."""
    severity: Severity | None = None
    """Severity with fired criteria and unknowns."""
    precedents: list[Precedent] = Field(default_factory=list)
    """Similar past incidents above the threshold."""
    no_precedent: bool = True
    """True when nothing in the archive reached the threshold."""
    sops: list[SopRef] = Field(default_factory=list)
    """Selected SOPs, most specific first."""
    notifications: list[NotificationDue] = Field(default_factory=list)
    """Notifications due, with their clocks."""
    scenarios: list[Scenario] = Field(default_factory=list)
    """Proposed scenarios, with adherence once checked."""
    blocked: list[Blocked] = Field(default_factory=list)
    """What the guard withheld outside the scenarios (categorisation reasons)."""
    dropped: list[str] = Field(default_factory=list)
    """Scenarios dropped because no repair could make them compliant."""
    repair_round: int = 0
    """How many times the model has been asked to repair (bounded by context)."""
    scenario_origin: str = "rules"
    """Who proposed the current scenarios: rules or llm."""
    degraded_reasons: Annotated[list[str], operator.add] = Field(default_factory=list)
    """Why a step fell back to the offline backend."""
    rules: Annotated[list[RuleVerdict], operator.add] = Field(default_factory=list)
    """Every deterministic verdict, for lineage."""
    nodes: Annotated[list[str], operator.add] = Field(default_factory=list)
    """Nodes in execution order, for lineage and progress display."""
    hidden: Annotated[dict[str, int], _add_counts] = Field(default_factory=dict)
    """Need-to-know: how many records were hidden from this run, by kind (never what)."""
    suggestion: Suggestion | None = None
    """The final answer."""
    severity_floor: SeverityLevel | None = None
    """Severity never drops below this without a logged de-escalation decision."""
    decision: Decision | None = None
    """The operator's latest decision (crisis threads)."""
    approval: Approval | None = None
    """The approved course of action, if any."""
    closed: bool = False
    """True once the crisis is closed."""


class OutputState(BaseModel):
    """What the graph returns."""

    suggestion: Suggestion
