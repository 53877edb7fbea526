"""Merge duplicate steps across SOPs: the cell reads one "call 18/112", not four.

SOPs selected together often ask for the same action (the toxic-release, hazmat-transport
and road-accident SOPs each say "call 18/112"; a step and a notification of one SOP often
say the same call twice). A deterministic merge keeps one step, in its own SOP's words, and
lists the other steps it carries out in ``also_cites``; it takes the earliest deadline of
the group, so no clock is relaxed, and the compliance checker counts it as following each
step it cites.

Same action: same action type and condition flag, and either the same call (notify steps
reaching the same recipients, :mod:`agent.rules.contacts`) or near-identical lemmatised
wording. Never merged, so nothing is lost: off-SOP steps, steps carrying the model's note,
a justification or a rewording, steps clocked from another step, two steps of one SOP (its
author wrote them apart), two notifications (already one per recipient), and a step whose
prerequisites would then come after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from agent.domain import Citation, Scenario, ScenarioStep
from agent.guard.lemmatiser import lemmatize
from agent.pack.models import Sop
from agent.rules.citations import Key, citations
from agent.rules.contacts import contacts, same_call
from agent.rules.order import dependencies
from agent.text import STOP_WORDS, normalise

SAME_SET_CUTOFF = 80
"""Token-set similarity (0-100) of the lemmatised texts: the shared words dominate."""
SAME_ORDER_CUTOFF = 60
"""Token-sort similarity floor, so a short text is not a duplicate of every longer one."""
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    return lemmatize(word, ("en", "fr"))


@lru_cache(maxsize=16384)
def lemma_text(text: str) -> str:
    """Lemmatised content words, sorted and unique: inflection and word order aside."""
    words = (w for w in _WORD.findall(normalise(text)) if w not in STOP_WORDS and len(w) > 1)
    return " ".join(sorted({_lemma(w) for w in words}))


def same_wording(a: str, b: str) -> bool:
    """Near-identical instructions once lemmatised ("Isolate 100 m all round ..." twice)."""
    left, right = lemma_text(a), lemma_text(b)
    return (
        fuzz.token_set_ratio(left, right) >= SAME_SET_CUTOFF
        and fuzz.token_sort_ratio(left, right) >= SAME_ORDER_CUTOFF
    )


@dataclass(frozen=True)
class _Item:
    """A step with what the merge compares: where it is, what it cites, whom it calls."""

    position: int
    step: ScenarioStep
    notification: bool
    calls: frozenset[str]


@dataclass
class _Group:
    members: list[_Item] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.members[0].position


def merge_steps(steps: Sequence[ScenarioStep], sops: Sequence[Sop]) -> list[ScenarioStep]:
    """The steps with duplicates folded into the first of each group, order kept."""
    recipients = sorted({n.to for s in sops for n in s.notifications})
    items = [_item(i, s, sops, recipients) for i, s in enumerate(steps)]
    where = {key: i for i, s in enumerate(steps) for key in citations(s)}
    groups: list[_Group] = []
    for item in items:
        group = None
        if _mergeable(item.step):
            group = next((g for g in groups if _joins(item, g, where, sops)), None)
        if group is not None:
            group.members.append(item)
        else:
            groups.append(_Group([item]))
    return [_fold(g.members) for g in sorted(groups, key=lambda g: g.first)]


def merge_duplicates(scenario: Scenario, sops: Sequence[Sop]) -> Scenario:
    """The scenario with duplicate steps merged (unchanged when there are none)."""
    steps = merge_steps(scenario.steps, sops)
    if len(steps) == len(scenario.steps):
        return scenario
    return scenario.model_copy(update={"steps": steps})


def _item(position: int, step: ScenarioStep, sops: Sequence[Sop], recipients: list[str]) -> _Item:
    sop = next((s for s in sops if s.id == step.sop_id), None)
    note = sop.notification(step.step_id) if sop and step.step_id else None
    calls = contacts(step.action, recipients) if step.action_type == "notify" else frozenset()
    return _Item(position, step, note is not None, frozenset({note.to}) if note else calls)


def _mergeable(step: ScenarioStep) -> bool:
    """Only plain SOP citations merge: nothing the model or an operator added is folded away."""
    return (
        not step.off_sop
        and step.sop_id is not None
        and step.step_id is not None
        and not (step.note or step.justification or step.reworded or step.vetted_by)
        and not step.anchor.startswith("step:")
    )


def _joins(item: _Item, group: _Group, where: Mapping[Key, int], sops: Sequence[Sop]) -> bool:
    """Compatible with the group, the same action as one member, prerequisites still first."""
    if not all(_mergeable(m.step) and _compatible(item.step, m.step) for m in group.members):
        return False
    if any(_same_slot(item, m) for m in group.members):
        return False
    if not any(_same_action(item, m) for m in group.members):
        return False
    return _prerequisites_before(item, group, where, sops)


def _compatible(a: ScenarioStep, b: ScenarioStep) -> bool:
    """Same verb class; clocks that compare: the same anchor, unless both wait for a trigger.

    A conditional step may fold into an unconditional one (done anyway, so done if the
    trigger comes); the kept step is then the unconditional one.
    """
    if a.action_type != b.action_type:
        return False
    return (a.conditional and b.conditional) or a.anchor == b.anchor


def _same_slot(a: _Item, b: _Item) -> bool:
    """Two steps of one SOP (or two notifications) are never one action."""
    if a.notification and b.notification:
        return True
    return a.step.sop_id == b.step.sop_id and a.notification == b.notification


def _same_action(a: _Item, b: _Item) -> bool:
    if a.notification or b.notification:
        note, other = (a, b) if a.notification else (b, a)
        return note.calls <= other.calls
    if a.calls and b.calls:
        return same_call(a.calls, b.calls)
    return same_wording(a.step.action, b.step.action)


def _prerequisites_before(
    item: _Item, group: _Group, where: Mapping[Key, int], sops: Sequence[Sop]
) -> bool:
    """Moving the step up to the group's place must not put it before what it depends on."""
    inside = {key for m in group.members for key in citations(m.step)}
    return all(
        where[dep] < group.first
        for dep in dependencies(item.step, sops)
        if dep in where and dep not in inside
    )


def _fold(members: list[_Item]) -> ScenarioStep:
    """One step: an SOP step's words rather than a notification's, earliest deadline of all."""
    if len(members) == 1:
        return members[0].step
    kept = min(
        members,
        key=lambda m: (m.step.conditional, m.notification, not m.step.mandatory, m.position),
    ).step
    cites: list[Citation] = []
    for m in members:
        for sop_id, step_id in citations(m.step):
            cite = Citation(sop_id=sop_id or "", step_id=step_id or "")
            if (sop_id, step_id) != (kept.sop_id, kept.step_id) and cite not in cites:
                cites.append(cite)
    deadlines = [m.step.deadline for m in members if m.step.deadline is not None]
    return kept.model_copy(
        update={
            "also_cites": cites,
            "deadline": min(deadlines, default=None),
            "mandatory": any(m.step.mandatory for m in members),
            "conditional": all(m.step.conditional for m in members),
        }
    )


__all__ = ["lemma_text", "merge_duplicates", "merge_steps", "same_wording"]
