"""What the model fills in (tool-call arguments), and its conversion to our domain models.

The tool schemas are deliberately simple (minutes instead of ISO durations, no
fields the SOP already knows); the conversion adds what the SOPs say
(anchor, mandatory, conditional) and falls back to the SOP's owner and clock
when the model leaves them out. It never repairs what the model got wrong:
an invented step id or a late deadline reaches the compliance check as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain import Category, Scenario, ScenarioStep
from agent.errors import LLMBadOutput
from agent.llm.base import ScenarioRequest
from agent.pack.models import ActionType, Sop
from agent.rules.requirements import step_requirements

SCENARIO_IDS = "ABC"


class ProposeCategory(BaseModel):
    """Propose the event's category from the taxonomy."""

    model_config = ConfigDict(title="propose_category")

    code: str = Field(description="Primary FAMILY.subtype code, copied from the taxonomy.")
    secondary: list[str] = Field(default_factory=list, description="Cascading hazard codes.")
    confidence: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list, description="1-3 short reasons.")


class StepDraft(BaseModel):
    """One step of a scenario."""

    sop_id: str | None = Field(default=None, description="SOP id, e.g. SOP-IND-TOX-001.")
    step_id: str | None = Field(default=None, description="Step id (S01) or notification ref.")
    action: str
    action_type: ActionType
    owner: str | None = Field(default=None, description="A role of the SOP.")
    deadline_minutes: float | None = Field(default=None, ge=0, description="Minutes from T0.")
    off_sop: bool = False
    justification: str | None = None


class ScenarioDraft(BaseModel):
    """One course of action."""

    title: str
    rationale: str = ""
    steps: list[StepDraft] = Field(min_length=1)
    precedent_ids: list[str] = Field(default_factory=list)


class ProposeScenarios(BaseModel):
    """Propose 1-3 distinct courses of action built from the SOP steps."""

    model_config = ConfigDict(title="propose_scenarios")

    scenarios: list[ScenarioDraft] = Field(min_length=1, max_length=3)


class ReportReady(BaseModel):
    """Confirm that structured output works."""

    model_config = ConfigDict(title="report_ready")

    ready: bool
    echo: str


def to_category(answer: ProposeCategory) -> Category:
    """Our :class:`Category`; a malformed code is bad output (unknown codes are the node's job).

    Raises:
        LLMBadOutput: the answer does not fit the Category model.
    """
    try:
        return Category(
            code=answer.code.strip(),
            confidence=answer.confidence,
            secondary=[c.strip() for c in answer.secondary if c.strip() != answer.code.strip()],
            reasons=answer.reasons[:3] or ["proposed by the model"],
            origin="llm",
        )
    except ValidationError as exc:
        raise LLMBadOutput(f"category does not fit the schema: {_first(exc)}") from exc


def to_scenarios(answer: ProposeScenarios, request: ScenarioRequest) -> list[Scenario]:
    """Our :class:`Scenario` objects, ids A, B, C in the model's order.

    Raises:
        LLMBadOutput: a scenario does not fit the Scenario model.
    """
    conditional = {
        r.key for r in step_requirements(request.sops, request.facts)
        if r.applicability == "conditional"
    }
    drafts = answer.scenarios[: request.max_scenarios]
    try:
        return [
            Scenario(
                id=SCENARIO_IDS[i],
                title=d.title,
                rationale=d.rationale or d.title,
                steps=[_step(s, request.sops, conditional) for s in d.steps],
                origin="llm",
                precedent_ids=d.precedent_ids,
            )
            for i, d in enumerate(drafts)
        ]
    except ValidationError as exc:
        raise LLMBadOutput(f"scenario does not fit the schema: {_first(exc)}") from exc


def _step(
    draft: StepDraft, sops: Sequence[Sop], conditional: set[tuple[str, str]]
) -> ScenarioStep:
    """A scenario step, completed from the SOP it cites (when it cites a real one)."""
    sop = next((s for s in sops if s.id == draft.sop_id), None)
    deadline = None if draft.deadline_minutes is None else timedelta(minutes=draft.deadline_minutes)
    base = ScenarioStep(
        sop_id=draft.sop_id,
        step_id=draft.step_id,
        action=draft.action,
        action_type=draft.action_type,
        owner=draft.owner,
        deadline=deadline,
        off_sop=draft.off_sop,
        justification=draft.justification,
        source="llm",
    )
    if draft.off_sop or sop is None or draft.step_id is None:
        return base
    return _completed(base, sop, draft.step_id, conditional)


def _completed(
    step: ScenarioStep, sop: Sop, step_id: str, conditional: set[tuple[str, str]]
) -> ScenarioStep:
    """Fill in what the SOP knows: anchor, mandatory flag, and owner or clock when missing."""
    ref = sop.step(step_id)
    if ref is not None:
        return step.model_copy(
            update={
                "anchor": ref.anchor,
                "mandatory": ref.mandatory,
                "conditional": (sop.id, ref.id) in conditional,
                "owner": step.owner or ref.owner,
                "deadline": step.deadline if step.deadline is not None else ref.deadline,
                "source": "sop",
            }
        )
    note = sop.notification(step_id)
    if note is None:
        return step
    return step.model_copy(
        update={
            "mandatory": note.mandatory,
            "deadline": step.deadline if step.deadline is not None else note.within,
            "source": "notification",
        }
    )


def _first(exc: ValidationError) -> str:
    """The first validation error as ``loc: message``."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else str(err["msg"])
