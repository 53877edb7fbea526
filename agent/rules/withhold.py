"""Withhold the model's own words unless the applied SOPs support them (the default).

The guard removes what it recognises as forbidden; this rule covers what it cannot
recognise. With ``model_text = "supported"`` (the default), a model scenario shows
the SOP steps it chose, in its order, with the SOPs' words; its title, rationale,
notes, justifications and off-SOP steps reach the operator only when they restate
an SOP sentence (:mod:`agent.guard.support`). Everything else is a ``Blocked``
record with reason ``unsupported`` (where, never the words): the words stay in the
call log (``crisiscell llm calls RUN_ID``). ``model_text = "guarded"`` shows any
model text the guard passes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

from agent.domain import Blocked, BlockedField, Category, Scenario, ScenarioStep
from agent.guard.support import SupportIndex
from agent.pack.models import Sop, Taxonomy
from agent.rules.requirements import notification_text

NEUTRAL_TITLE = "Scenario {id}: the model's choice of steps from {sops}"
NEUTRAL_RATIONALE = (
    "The model chose and ordered these SOP steps; its own explanation is not shown "
    "because the applied SOPs do not support its words (it is in the call log)."
)
RULES_REASON = "the model's reason is not shown: the report and taxonomy do not support it"


def sop_index(sops: Sequence[Sop]) -> SupportIndex:
    """Every sentence of the applied SOPs a model may restate.

    Titles, steps (their French wording too) and notifications.
    """
    texts: list[str] = []
    for sop in sops:
        texts.append(sop.title)
        texts += [sop.render(step.action) for step in sop.steps]
        texts += [sop.render(step.action_fr) for step in sop.steps if step.action_fr]
        texts += [notification_text(n) for n in sop.notifications]
    return SupportIndex(texts)


def report_index(category: Category, event_text: str, taxonomy: Taxonomy) -> SupportIndex:
    """What a categorisation reason may quote: the report and the category's description."""
    sub = taxonomy.subtype(category.code)
    texts = [event_text, *((sub.label, sub.label_fr, sub.description) if sub else ())]
    return SupportIndex(texts, min_kept=0.0, clauses=True)


def withhold_unsupported(scenario: Scenario, index: SupportIndex) -> Scenario:
    """A model scenario with every unsupported text of the model replaced or removed."""
    if scenario.origin != "llm":
        return scenario
    found = [
        (f, n, part) for f, n, part, text in _model_texts(scenario) if not index.supported(text)
    ]
    if not found:
        return scenario
    where = set(found)
    update: dict[str, object] = {
        "blocked": [*scenario.blocked, *_records(found, scenario.id)],
        "steps": _kept(scenario.steps, "step", where),
        "unvetted": _kept(scenario.unvetted, "unvetted_step", where),
    }
    if ("title", None, "text") in where:
        update["title"] = NEUTRAL_TITLE.format(id=scenario.id, sops=_cited(scenario))
    if ("rationale", None, "text") in where:
        update["rationale"] = NEUTRAL_RATIONALE
    return scenario.model_copy(update=update)


def withhold_reasons(category: Category, index: SupportIndex) -> tuple[Category, list[Blocked]]:
    """A model category whose reasons do not restate the report or taxonomy, withheld."""
    if category.origin != "llm":
        return category, []
    reasons, blocked = [], []
    for n, reason in enumerate(category.reasons, start=1):
        if index.supported(reason):
            reasons.append(reason)
        else:
            reasons.append(RULES_REASON)
            blocked.append(_record("category_reason", n, None))
    if not blocked:
        return category, []
    return category.model_copy(update={"reasons": reasons}), blocked


Part = Literal["text", "action", "note", "justification"]


def _model_texts(
    scenario: Scenario,
) -> Iterator[tuple[BlockedField, int | None, Part, str]]:
    """The texts the model wrote itself.

    A plan step's action is the SOP's words (or an operator accepted it), so it does
    not change the plan's compliance to withhold what is left: notes and reasons.
    """
    yield "title", None, "text", scenario.title
    yield "rationale", None, "text", scenario.rationale
    groups: tuple[tuple[BlockedField, list[ScenarioStep]], ...] = (
        ("step", scenario.steps),
        ("unvetted_step", scenario.unvetted),
    )
    for field, steps in groups:
        for n, step in enumerate(steps, start=1):
            if field == "unvetted_step":
                yield field, n, "action", step.action
            if step.note:
                yield field, n, "note", step.note
            if step.justification:
                yield field, n, "justification", step.justification


def _kept(
    steps: Sequence[ScenarioStep],
    field: BlockedField,
    where: set[tuple[BlockedField, int | None, Part]],
) -> list[ScenarioStep]:
    """The steps left: one whose own action is unsupported goes; a note or reason is cut."""
    out: list[ScenarioStep] = []
    for n, step in enumerate(steps, start=1):
        parts = {p for f, k, p in where if f == field and k == n}
        if "action" in parts:
            continue
        cut: dict[str, object] = {p: None for p in parts & {"note", "justification"}}
        out.append(step.model_copy(update=cut) if cut else step)
    return out


def _records(
    found: Sequence[tuple[BlockedField, int | None, Part]], scenario_id: str
) -> list[Blocked]:
    return [_record(_field(f, p), n, scenario_id) for f, n, p in found]


def _field(field: BlockedField, part: Part) -> BlockedField:
    if field == "step" and part in ("note", "justification"):
        return part
    return field


def _record(field: BlockedField, position: int | None, scenario_id: str | None) -> Blocked:
    return Blocked(field=field, scenario_id=scenario_id, position=position, reason="unsupported")


def _cited(scenario: Scenario) -> str:
    ids = list(dict.fromkeys(s.sop_id for s in scenario.steps if s.sop_id))
    return ", ".join(ids) if ids else "no SOP"
