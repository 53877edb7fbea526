"""What the model fills in (tool-call arguments), and its conversion to our domain models.

The tool schemas are deliberately simple (minutes instead of ISO durations, no
fields the SOP already knows); the conversion adds what the SOPs say
(anchor, mandatory, conditional) and falls back to the SOP's owner and clock
when the model leaves them out. A cited step always shows the SOP's own words;
an invented reference is rejected (and recorded); a late deadline or a wrong
type reaches the compliance check as is.

Model text is untrusted: every string is cleaned as it is validated (escape
sequences and control characters stripped, newlines turned into spaces, see
:mod:`agent.safe_text`), so no title or rationale can repaint the terminal or
forge a ``[rules]`` line downstream. Sizes and numbers are capped (the ``MAX_*``
constants): an answer over a cap, or with a deadline that is not a finite number
of minutes within a year, fails validation, which the adapter reports as
:class:`~agent.errors.LLMBadOutput` naming the field, and the node falls back to
the offline backend with that reason in ``degraded_reasons``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from agent.domain import Blocked, Category, Scenario, ScenarioStep
from agent.errors import LLMBadOutput
from agent.llm.base import ScenarioRequest
from agent.pack.models import ActionType, Sop
from agent.rules.requirements import notification_text, step_requirements
from agent.safe_text import clean_line
from agent.text import normalise

SCENARIO_IDS = "ABC"

MAX_SCENARIOS = 3
"""Scenarios per answer (the tool asks for 1-3)."""
MAX_STEPS = 60
"""Steps per scenario: the largest shipped SOP has 21 steps and notifications, so 60
leaves room for several SOPs; 30,000 steps are refused before any check runs."""
MAX_TITLE_CHARS = 200
"""A scenario title is one line on the briefing."""
MAX_TEXT_CHARS = 4_000
"""A rationale, a note or a justification: a paragraph, not a document."""
MAX_ACTION_CHARS = 1_000
"""A step's action as the model wrote it (a cited step shows the SOP's words anyway)."""
MAX_ID_CHARS = 80
"""An SOP id, a step id, an owner role, a category code, a precedent id."""
MAX_ITEMS = 10
"""Reasons, secondary codes and precedent ids per answer."""
MAX_DEADLINE_MINUTES = 366 * 24 * 60
"""A step deadline from T0: a finite number of minutes within a year (the longest
legal clock of the shipped pack is 72 h); ``Infinity``, ``NaN``, ``1e15`` or a
negative number is bad output, never an ``OverflowError``."""


Line = Annotated[str, Field(max_length=MAX_ACTION_CHARS), AfterValidator(clean_line)]
Title = Annotated[str, Field(max_length=MAX_TITLE_CHARS), AfterValidator(clean_line)]
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS), AfterValidator(clean_line)]
Ident = Annotated[str, Field(max_length=MAX_ID_CHARS), AfterValidator(clean_line)]
Minutes = Annotated[float, Field(ge=0, le=MAX_DEADLINE_MINUTES, allow_inf_nan=False)]


class ProposeCategory(BaseModel):
    """Propose the event's category from the taxonomy."""

    model_config = ConfigDict(title="propose_category")

    code: Ident = Field(description="Primary FAMILY.subtype code, copied from the taxonomy.")
    secondary: list[Ident] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Cascading hazard codes."
    )
    confidence: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)
    reasons: list[Text] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="1-3 short reasons."
    )


class StepDraft(BaseModel):
    """One step of a scenario."""

    sop_id: Ident | None = Field(default=None, description="SOP id, e.g. SOP-IND-TOX-001.")
    step_id: Ident | None = Field(default=None, description="Step id (S01) or notification ref.")
    action: Line
    action_type: ActionType
    owner: Ident | None = Field(default=None, description="A role of the SOP.")
    deadline_minutes: Minutes | None = Field(default=None, description="Minutes from T0.")
    off_sop: bool = False
    justification: Text | None = None
    note: Text | None = Field(
        default=None, description="Anything to add to a cited step; its SOP text is kept as is."
    )


class ScenarioDraft(BaseModel):
    """One course of action."""

    title: Title
    rationale: Text = ""
    steps: list[StepDraft] = Field(min_length=1, max_length=MAX_STEPS)
    precedent_ids: list[Ident] = Field(default_factory=list, max_length=MAX_ITEMS)


class ProposeScenarios(BaseModel):
    """Propose 1-3 distinct courses of action built from the SOP steps."""

    model_config = ConfigDict(title="propose_scenarios")

    scenarios: list[ScenarioDraft] = Field(min_length=1, max_length=MAX_SCENARIOS)


class ReportReady(BaseModel):
    """Confirm that structured output works."""

    model_config = ConfigDict(title="report_ready")

    ready: bool
    echo: Ident


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

    A step that cites a real step of the applied SOPs shows that step's words (the
    model's own wording, if different, goes into ``note``, marked ``reworded``); a
    step citing anything else is rejected and recorded as blocked; a step citing
    nothing is an unvetted off-SOP step, kept apart from the plan.

    Raises:
        LLMBadOutput: a scenario does not fit the Scenario model.
    """
    conditional = {
        r.key for r in step_requirements(request.sops, request.facts)
        if r.applicability == "conditional"
    }
    drafts = answer.scenarios[: request.max_scenarios]
    try:
        return [_scenario(SCENARIO_IDS[i], d, request.sops, conditional)
                for i, d in enumerate(drafts)]
    except ValidationError as exc:
        raise LLMBadOutput(f"scenario does not fit the schema: {_first(exc)}") from exc


def _scenario(
    scenario_id: str, draft: ScenarioDraft, sops: Sequence[Sop], conditional: set[tuple[str, str]]
) -> Scenario:
    steps: list[ScenarioStep] = []
    unvetted: list[ScenarioStep] = []
    blocked: list[Blocked] = []
    for n, step_draft in enumerate(draft.steps, start=1):
        step = _step(step_draft, sops, conditional)
        if step is None:
            blocked.append(Blocked(field="step", scenario_id=scenario_id, position=n,
                                   reason="invented_reference",
                                   cited=f"{step_draft.sop_id}/{step_draft.step_id}"))
        elif step.off_sop:
            unvetted.append(step)
        else:
            steps.append(step)
    return Scenario(id=scenario_id, title=draft.title, rationale=draft.rationale or draft.title,
                    steps=steps, unvetted=unvetted, blocked=blocked, origin="llm",
                    precedent_ids=draft.precedent_ids)


def _step(
    draft: StepDraft, sops: Sequence[Sop], conditional: set[tuple[str, str]]
) -> ScenarioStep | None:
    """The step in our terms; None when it cites something the applied SOPs do not have."""
    deadline = None if draft.deadline_minutes is None else timedelta(minutes=draft.deadline_minutes)
    base = ScenarioStep(
        sop_id=draft.sop_id,
        step_id=draft.step_id,
        action=draft.action,
        action_type=draft.action_type,
        owner=draft.owner,
        deadline=deadline,
        off_sop=False,
        justification=draft.justification,
        note=draft.note,
        source="llm",
    )
    if draft.sop_id is None and draft.step_id is None:
        return base.model_copy(update={"off_sop": True})
    sop = next((s for s in sops if s.id == draft.sop_id), None)
    if sop is None or draft.step_id is None:
        return None
    return _completed(base, sop, draft.step_id, conditional)


def _completed(
    step: ScenarioStep, sop: Sop, step_id: str, conditional: set[tuple[str, str]]
) -> ScenarioStep | None:
    """The SOP's words and what the SOP knows (anchor, mandatory), or None if no such step."""
    ref = sop.step(step_id)
    if ref is not None:
        return _cited(step, sop.render(ref.action)).model_copy(
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
        return None
    return _cited(step, notification_text(note)).model_copy(
        update={
            "mandatory": note.mandatory,
            "deadline": step.deadline if step.deadline is not None else note.within,
            "source": "notification",
        }
    )


def _cited(step: ScenarioStep, sop_words: str) -> ScenarioStep:
    """The step with the SOP's words; the model's other wording kept, apart, in ``note``."""
    if normalise(step.action) == normalise(sop_words):
        return step.model_copy(update={"action": sop_words})
    note = " / ".join(t for t in (step.action, step.note) if t)
    return step.model_copy(update={"action": sop_words, "note": note, "reworded": True})


def _first(exc: ValidationError) -> str:
    """The first validation error as ``loc: message``."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else str(err["msg"])
