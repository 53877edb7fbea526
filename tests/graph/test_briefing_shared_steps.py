"""On the shipped examples the briefing prints each step once and loses none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.briefing import render_briefing
from agent.briefing_labels import label
from agent.domain import ScenarioStep
from agent.event_input import event_from_file
from agent.service import Suggester
from agent.shared_steps import sharing, steps_read

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "events").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_step_is_printed_or_referenced_by_number(shipped: Suggester, path: Path) -> None:
    suggestion = shipped.suggest(event_from_file(path))
    text = render_briefing(suggestion)
    said = label(suggestion.language, "4. SCENARIOS")
    plans = text.split(said, 1)[1].split(label(suggestion.language, "5. SIMILAR PAST INCIDENTS"))[0]
    for sc, shared in zip(suggestion.scenarios, sharing(suggestion.scenarios), strict=True):
        block = plans.split(f"   {sc.id}. ", 1)[1]
        if shared is None:
            assert all(shown(s, suggestion.language)[:60] in block for s in sc.steps)
            continue
        same, steps = label(suggestion.language, "SAME AS"), label(suggestion.language, "steps")
        found = re.search(rf"{same} {shared.base}: {steps} ([\d, -]+) \((\d+) {steps}", block)
        assert found is not None and int(found.group(2)) == len(shared.positions)
        assert all(shown(sc.steps[i], suggestion.language)[:60] in block for i in shared.own)
    assert steps_read(suggestion.scenarios) <= sum(len(s.steps) for s in suggestion.scenarios)


def shown(step: ScenarioStep, language: str) -> str:
    """The words the briefing prints for a step: the SOP's French ones for a French report."""
    return step.action_fr if language == "fr" and step.action_fr else step.action


def test_the_lead_plan_is_numbered_and_points_to_its_priorities(shipped: Suggester) -> None:
    suggestion = shipped.suggest(event_from_file(EXAMPLES[0]))
    text = render_briefing(suggestion)
    lang = suggestion.language
    assert f"{label(lang, 'FULL PLAN')}  {label(lang, '(priorities: 0.)')}" in text
    assert re.search(r"^\s+1\.\s+T\+\d+m\s+\[", text, re.MULTILINE)
    assert text.count(label(lang, "PRIORITIES")) <= len(suggestion.scenarios) - 1
