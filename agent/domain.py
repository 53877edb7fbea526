"""The domain model: what flows through the graph and what the CLI prints as JSON.

Pack models (SOP, taxonomy, severity scale) live in :mod:`agent.pack.models`;
these are the run-time objects: an event comes in, a suggestion goes out.
The JSON shape of :class:`Suggestion` is a documented, stable interface.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.pack.models import ActionType, CategoryCode, Marking, SeverityLevel

MAX_EVENT_CHARS = 20_000


class Model(BaseModel):
    """Base for run-time models: strict about unknown keys, lenient about nothing."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def utcnow() -> datetime:
    """Timezone-aware now, so times compare across processes and machines."""
    return datetime.now(UTC)


class Event(Model):
    """A crisis event as reported to the cell: free text plus any structured facts known."""

    text: str = Field(min_length=1, max_length=MAX_EVENT_CHARS)
    reported_at: datetime = Field(default_factory=utcnow)
    site: str | None = None
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description="Nested facts, e.g. {casualties: {deaths: 1}, detectors: {nh3_alarm: true}}.",
    )
    un_number: str | None = Field(default=None, pattern=r"^\d{4}$")
    language: Literal["en", "fr"] | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("event text is blank")
        return value.strip()


class Category(Model):
    """The event's primary ``FAMILY.subtype`` code, cascades as secondary codes, and why."""

    code: CategoryCode
    confidence: float = Field(ge=0.0, le=1.0)
    secondary: list[CategoryCode] = Field(default_factory=list)
    tentative: list[CategoryCode] = Field(
        default_factory=list,
        description="Secondary codes the text only names in passing: listed, but they do not "
        "bring in their SOPs (one stray word must not pull in a whole procedure).",
    )
    reasons: list[str] = Field(default_factory=list)
    origin: Literal["rules", "llm"] = "rules"

    @property
    def family(self) -> str:
        """The family part of the code (``IND`` for ``IND.fire``)."""
        return self.code.split(".")[0]


class Criterion(Model):
    """One severity criterion that fired: which dimension, what value, which level."""

    dimension: str
    label: str
    value: Any
    level: SeverityLevel
    source: Literal["fact", "text", "floor", "escalation", "held"] = "fact"
    spans: list[str] = Field(
        default_factory=list, description="The words of the report that made it fire, if any."
    )


class Severity(Model):
    """Severity S1-S5 with the criteria that fired and the dimensions still unknown."""

    level: SeverityLevel
    criteria: list[Criterion] = Field(default_factory=list)
    unknowns: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    reportable: bool = False

    @property
    def display(self) -> str:
        """``S2`` when everything is known, ``>=S2, 3 unknown`` otherwise."""
        if not self.unknowns:
            return self.level
        return f">={self.level}, {len(self.unknowns)} unknown"


class ActionTaken(Model):
    """An action recorded in a past incident, with its offset from T0 when known."""

    text: str = Field(min_length=3)
    action_type: ActionType | None = None
    at: timedelta | None = Field(default=None, description="Offset from the incident's T0.")


class Incident(Model):
    """A historical incident and how it was resolved."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str
    occurred_at: datetime
    site: str | None = None
    location: str | None = None
    category: CategoryCode
    secondary: list[CategoryCode] = Field(default_factory=list)
    severity: SeverityLevel
    summary: str
    actions: list[ActionTaken] = Field(default_factory=list)
    resolution: str
    outcome: str
    lessons: list[str] = Field(default_factory=list)
    source: str
    marking: Marking = "public"
    compartments: list[str] = Field(default_factory=list)
    language: Literal["en", "fr"] = "en"
    tags: list[str] = Field(default_factory=list)

    @property
    def search_text(self) -> str:
        """The text retrieval indexes: what happened, not how it ended."""
        return f"{self.title}. {self.summary}"


class Precedent(Model):
    """A retrieved past incident, with the score and the parts an operator needs."""

    id: str
    title: str
    score: float
    category: str
    occurred_at: datetime
    site: str | None = None
    resolution: str
    outcome: str
    actions: list[ActionTaken] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    why: list[str] = Field(default_factory=list)


class PastAction(Model):
    """One thing done in a past incident, judged as a lesson: kept apart from the plan."""

    text: str
    action_type: ActionType | None = None
    at: timedelta | None = None
    verdict: Literal["mapped", "vetted", "narrative", "condemned"] = Field(
        description="mapped: cites an SOP step; vetted: passes the vetted-action rule; "
        "narrative: what happened, not a step; condemned: the outcome or lessons condemn it."
    )
    step: str | None = Field(default=None, description="SOP-ID/step it maps to, if mapped.")
    why: str | None = None


class Lesson(Model):
    """What a precedent teaches: what was done, how it ended, what went wrong."""

    precedent_id: str
    title: str
    done: list[PastAction] = Field(default_factory=list)
    outcome: str
    went_wrong: list[str] = Field(default_factory=list)


class Dont(Model):
    """A forbidden action of a selected SOP, shown to the operator as a don't of the hour."""

    sop_id: str
    ref: str = Field(description="SOP-ID/F1.")
    text: str
    text_fr: str | None = None
    basis: str | None = None


class SopRef(Model):
    """Which SOP, at which version and content hash, was applied and why."""

    id: str
    version: str
    title: str
    title_fr: str | None = None
    content_hash: str
    reasons: list[str] = Field(default_factory=list)


StepSource = Literal["sop", "notification", "precedent", "llm", "operator"]


class Citation(Model):
    """Another SOP step (or notification) that a merged scenario step also carries out."""

    sop_id: str
    step_id: str


class ScenarioStep(Model):
    """One step of a course of action; cites its SOP step or says why it is off-SOP."""

    sop_id: str | None = None
    step_id: str | None = None
    action: str = Field(min_length=3)
    action_fr: str | None = Field(
        default=None,
        description="The SOP's French wording of this step, shown for a French report "
        "(``action`` is what the checks read).",
    )
    action_type: ActionType
    owner: str | None = None
    deadline: timedelta | None = Field(default=None, description="Offset from the anchor.")
    anchor: str = "T0"
    mandatory: bool = False
    conditional: bool = False
    off_sop: bool = False
    justification: str | None = None
    source: StepSource = "sop"
    note: str | None = Field(
        default=None,
        description="What the model added to a cited step (its own wording included); "
        "checked by the guard, never in place of the SOP's words.",
    )
    reworded: bool = Field(
        default=False,
        description="The model rewrote the cited SOP step: the SOP's words are shown, the "
        "model's are in the note (a deviation).",
    )
    vetted_by: str | None = Field(
        default=None, description="The operator who accepted this unvetted model step."
    )
    also_cites: list[Citation] = Field(
        default_factory=list,
        description="Duplicates merged into this step: the other SOP steps and notifications "
        "it also carries out. The action keeps the words of sop_id/step_id.",
    )


AdherenceStatus = Literal["followed", "skipped", "deviated", "conditional", "not_applicable"]
ViolationKind = Literal[
    "unknown_reference",
    "missing_mandatory",
    "order",
    "deadline",
    "missing_notification",
    "forbidden",
    "action_type",
    "off_sop_unjustified",
    "unknown_owner",
    "rewritten",
]


class AdherenceItem(Model):
    """How one SOP step or notification fares in a scenario."""

    sop_id: str
    step_id: str
    status: AdherenceStatus
    reason: str


class Violation(Model):
    """A deterministic rule the scenario breaks."""

    kind: ViolationKind
    message: str
    sop_id: str | None = None
    step_id: str | None = None


class AdherenceReport(Model):
    """The compliance verdict of one scenario against the applicable SOPs."""

    compliant: bool
    items: list[AdherenceItem] = Field(default_factory=list)
    violations: list[Violation] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description="Fuzzy-text warnings, not errors.")
    repairs: list[str] = Field(default_factory=list)

    def count(self, status: AdherenceStatus) -> int:
        """How many items have this status."""
        return sum(1 for item in self.items if item.status == status)


BlockedField = Literal[
    "title", "rationale", "step", "note", "justification", "unvetted_step", "category_reason"
]


class Blocked(Model):
    """Something the guard removed before an operator could read it, and why.

    The model's own words are not repeated here (they stay in the call log):
    the operator sees where, which prohibition, its SOP and basis.
    """

    field: BlockedField
    scenario_id: str | None = None
    position: int | None = Field(default=None, description="1-based step or reason number.")
    reason: Literal["forbidden", "invented_reference", "unsupported"] = Field(
        description="forbidden: does a prohibition; invented_reference: cites no applied SOP "
        "step; unsupported: model words the applied SOPs do not support (default-deny)."
    )
    forbidden: str | None = Field(default=None, description="SOP-ID/F1 or never/N1.")
    forbidden_text: str | None = None
    basis: str | None = None
    evidence: str | None = Field(default=None, description="What fired, e.g. 'hose' + 'leak'.")
    cited: str | None = Field(default=None, description="The invented SOP/step reference.")

    @property
    def summary(self) -> str:
        """One line for briefings and the crisis log."""
        where = self.field.replace("_", " ") + (f" {self.position}" if self.position else "")
        scope = f"scenario {self.scenario_id} " if self.scenario_id else ""
        if self.reason == "invented_reference":
            return f"removed {scope}{where}: cites {self.cited}, not a step of the applied SOPs"
        if self.reason == "unsupported":
            return f"withheld {scope}{where}: model text the applied SOPs do not support"
        basis = f"; basis: {self.basis}" if self.basis else ""
        return f"removed {scope}{where}: {self.forbidden} '{self.forbidden_text}'{basis}"


class Priority(Model):
    """One thing to do in the first half hour, in its time box: what a cell reads first."""

    window: Literal["now", "10 min", "30 min"]
    action: str
    action_fr: str | None = None
    owner: str | None = None
    deadline: timedelta | None = None
    sop_id: str | None = None
    step_id: str | None = None
    notification: bool = False
    mandatory: bool = False
    also_cites: list[Citation] = Field(
        default_factory=list, description="The steps merged into this one, also done by it."
    )


class ProtectiveDistances(Model):
    """ERG distances for the UN number involved, from the tables the user imported."""

    un: str
    material: str
    guide: str | None = None
    small_spill: str | None = None
    large_spill: str | None = None
    large_spill_by_container: list[str] = Field(
        default_factory=list, description="ERG Table 3, when Table 1 refers to it."
    )
    water_reactive: str | None = Field(
        default=None, description="ERG Table 2: the toxic gases it gives off in water."
    )
    source: str
    unknowns: list[str] = Field(default_factory=list)


class LifeSafety(Model):
    """Evacuate or shelter in place: decided first, from the facts, with its reason."""

    decision: Literal["evacuate", "shelter_in_place", "undecided", "not_applicable"]
    reason: str
    hazard: str | None = Field(default=None, description="toxic_cloud, fire, explosion, ...")
    order: str | None = Field(
        default=None, description="The authority's order as read in the report, quoted."
    )
    otherwise: str | None = Field(default=None, description="When the other action applies.")
    basis: list[str] = Field(default_factory=list, description="The facts the decision rests on.")
    unknowns: list[str] = Field(default_factory=list, description="unknown: what would change it.")
    conflicts: list[str] = Field(
        default_factory=list,
        description="Scenario steps that evacuate and shelter the same people, with why.",
    )
    distances: ProtectiveDistances | None = Field(
        default=None, description="ERG isolation and protective distances, when imported."
    )


class Scenario(Model):
    """A course of action: ordered steps, each tied to an SOP step, plus its adherence.

    ``unvetted`` holds the model's off-SOP steps: shown apart, never part of the plan
    (nor of its compliance) until an operator accepts them.
    """

    id: str
    title: str
    rationale: str
    priorities: list[Priority] = Field(
        default_factory=list, description="The first 30 minutes, time-boxed; the plan follows."
    )
    steps: list[ScenarioStep] = Field(default_factory=list)
    unvetted: list[ScenarioStep] = Field(default_factory=list)
    blocked: list[Blocked] = Field(default_factory=list)
    origin: Literal["rules", "llm", "operator"] = "rules"
    precedent_ids: list[str] = Field(default_factory=list)
    adherence: AdherenceReport | None = None


class NotificationDue(Model):
    """A notification the applicable SOPs require, with its clock from T0."""

    sop_id: str
    ref: str
    to: str
    within: timedelta
    due_at: datetime
    mandatory: bool
    conditional: bool
    basis: str | None = None


class RuleVerdict(Model):
    """One deterministic decision recorded for lineage."""

    rule: str
    verdict: str


class Lineage(Model):
    """Where a suggestion came from: enough to reproduce and audit it."""

    run_id: str
    crisis_id: str | None = None
    checkpoint_id: str | None = None
    clearance: str = "internal"
    hidden: dict[str, int] = Field(
        default_factory=dict, description="Need-to-know: how many records were hidden, by kind."
    )
    created_at: datetime = Field(default_factory=utcnow)
    code_version: str
    pack_hash: str
    taxonomy_version: str
    severity_scale_version: str
    sops: list[SopRef] = Field(default_factory=list)
    precedent_ids: list[str] = Field(default_factory=list)
    rules: list[RuleVerdict] = Field(default_factory=list)
    model: str
    prompts: dict[str, str] = Field(default_factory=dict, description="node -> prompt id@hash")
    nodes: list[str] = Field(default_factory=list, description="Graph nodes in execution order.")


class NodeUsage(Model):
    """Model calls of one node (or of a whole run): how many, tokens, cost, time."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0


class Usage(NodeUsage):
    """Token and cost accounting of one suggestion; zeros for the offline backend."""

    by_node: dict[str, NodeUsage] = Field(default_factory=dict)

    def add(self, node: str, call: NodeUsage) -> None:
        """Count one call (or a batch) for ``node`` and in the totals."""
        for target in (self, self.by_node.setdefault(node, NodeUsage())):
            target.calls += call.calls
            target.input_tokens += call.input_tokens
            target.output_tokens += call.output_tokens
            target.cost_usd += call.cost_usd
            target.latency_ms += call.latency_ms


class Suggestion(Model):
    """What crisiscell answers for an event: the stable JSON of ``suggest --json``."""

    event: Event
    language: Literal["en", "fr"] = Field(
        default="en", description="The briefing's language: the event's, else read from it."
    )
    facts: dict[str, Any] = Field(
        default_factory=dict, description="The facts the rules read, as dotted paths."
    )
    spans: dict[str, str] = Field(
        default_factory=dict, description="For each fact read from the text, its words."
    )
    life_safety: LifeSafety | None = Field(
        default=None, description="Evacuate or shelter: what the cell decides first, and why."
    )
    category: Category
    severity: Severity
    precedents: list[Precedent] = Field(default_factory=list)
    lessons: list[Lesson] = Field(
        default_factory=list, description="Precedents as lessons, beside the plan, not in it."
    )
    donts: list[Dont] = Field(
        default_factory=list, description="The selected SOPs' forbidden actions, for the operator."
    )
    no_precedent: bool
    sops: list[SopRef] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    dropped_scenarios: list[str] = Field(default_factory=list)
    notifications: list[NotificationDue] = Field(default_factory=list)
    degraded: bool = False
    degraded_reasons: list[str] = Field(default_factory=list)
    blocked: list[Blocked] = Field(
        default_factory=list,
        description="What the guard removed from the model's text, and which prohibition it did.",
    )
    usage: Usage = Field(default_factory=Usage)
    lineage: Lineage


# --- decisions on a crisis thread (the graph's state carries them) ---------------------

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
