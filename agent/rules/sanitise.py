"""Keep forbidden actions away from operators: find them in any text, remove them, say so.

Every text of a scenario an operator will read (title, rationale, each step, note
and justification, the unvetted steps) is checked by the pack's guard against every
prohibition of the pack; the SOP's own words of a cited step are trusted (the
self-tests prove they pass). A hit becomes a ``forbidden`` violation for the checker
(and the model's repair round) and, when repaired, a :class:`Blocked` record.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from agent.domain import Blocked, BlockedField, Category, Scenario, ScenarioStep, Violation
from agent.guard.matcher import Guard, GuardHit
from agent.pack.models import Sop
from agent.rules.requirements import notification_text

WITHHELD_TITLE = "Scenario {id} (title withheld by the guard)"
WITHHELD_RATIONALE = "The model's rationale was withheld: it describes a forbidden action."
WITHHELD_REASON = "reason withheld by the guard"


@dataclass(frozen=True)
class TextHit:
    """A forbidden action found in one field of a scenario."""

    field: BlockedField
    position: int | None
    hit: GuardHit

    def blocked(self, scenario_id: str | None) -> Blocked:
        """The record an operator sees (without the model's words)."""
        h = self.hit
        return Blocked(
            field=self.field,
            scenario_id=scenario_id,
            position=self.position,
            reason="forbidden",
            forbidden=h.ref,
            forbidden_text=h.forbidden_text,
            basis=h.basis,
            evidence=h.evidence,
        )

    def violation(self, scenario_id: str) -> Violation:
        """The checker's violation, fed back to the model on a repair round."""
        where = self.field.replace("_", " ") + (f" {self.position}" if self.position else "")
        basis = f"; basis: {self.hit.basis}" if self.hit.basis else ""
        return Violation(
            kind="forbidden",
            sop_id=self.hit.source,
            step_id=self.hit.forbidden_id,
            message=f"scenario {scenario_id} {where} does forbidden action {self.hit.ref} "
            f"'{self.hit.forbidden_text}' ({self.hit.evidence}){basis}",
        )


def scenario_hits(
    scenario: Scenario, guard: Guard, sops: Sequence[Sop], selected: Collection[str]
) -> list[TextHit]:
    """Every forbidden action in the scenario's texts, field by field."""
    return [
        TextHit(field, position, hit)
        for field, position, text in _texts(scenario, sops)
        for hit in guard.hits(text, selected)
    ]


def sanitise(
    scenario: Scenario, guard: Guard, sops: Sequence[Sop], selected: Collection[str]
) -> Scenario:
    """The scenario with every forbidden text removed, each removal recorded as Blocked."""
    hits = scenario_hits(scenario, guard, sops, selected)
    if not hits:
        return scenario
    update: dict[str, object] = {
        "blocked": [*scenario.blocked, *(h.blocked(scenario.id) for h in hits)]
    }
    fields: set[tuple[str, int | None]] = {(h.field, h.position) for h in hits}
    if ("title", None) in fields:
        update["title"] = WITHHELD_TITLE.format(id=scenario.id)
    if ("rationale", None) in fields:
        update["rationale"] = WITHHELD_RATIONALE
    update["steps"] = _clean_steps(scenario.steps, fields, "step")
    update["unvetted"] = _clean_steps(scenario.unvetted, fields, "unvetted_step")
    return scenario.model_copy(update=update)


def sanitise_category(
    category: Category, guard: Guard, selected: Collection[str]
) -> tuple[Category, list[Blocked]]:
    """The category with forbidden reasons withheld (a model may smuggle actions there)."""
    reasons: list[str] = []
    blocked: list[Blocked] = []
    for n, reason in enumerate(category.reasons, start=1):
        hit = guard.check(reason, selected)
        if hit is None:
            reasons.append(reason)
        else:
            reasons.append(WITHHELD_REASON)
            blocked.append(TextHit("category_reason", n, hit).blocked(None))
    if not blocked:
        return category, []
    return category.model_copy(update={"reasons": reasons}), blocked


def _clean_steps(
    steps: Sequence[ScenarioStep], fields: set[tuple[str, int | None]], kind: str
) -> list[ScenarioStep]:
    out: list[ScenarioStep] = []
    for n, step in enumerate(steps, start=1):
        if (kind, n) in fields:
            continue
        update: dict[str, object] = {}
        if kind == "step" and ("note", n) in fields:
            update["note"] = None
        if ("justification", n) in fields and kind == "step":
            update["justification"] = None
        out.append(step.model_copy(update=update) if update else step)
    return out


def _texts(
    scenario: Scenario, sops: Sequence[Sop]
) -> Iterator[tuple[BlockedField, int | None, str]]:
    yield "title", None, scenario.title
    yield "rationale", None, scenario.rationale
    for n, step in enumerate(scenario.steps, start=1):
        if not is_verbatim(step, sops):
            yield "step", n, step.action
        if step.note:
            yield "note", n, step.note
        if step.justification:
            yield "justification", n, step.justification
    for n, step in enumerate(scenario.unvetted, start=1):
        for text in (step.action, step.note, step.justification):
            if text:
                yield "unvetted_step", n, text


def is_verbatim(step: ScenarioStep, sops: Sequence[Sop]) -> bool:
    """True when a step cites a real SOP step or notification with that SOP's own words."""
    from agent.text import normalise

    sop = next((s for s in sops if s.id == step.sop_id), None)
    if sop is None or step.step_id is None or step.off_sop:
        return False
    ref = sop.step(step.step_id)
    if ref is not None:
        return normalise(step.action) == normalise(sop.render(ref.action))
    note = sop.notification(step.step_id)
    return note is not None and normalise(step.action) == normalise(notification_text(note))
