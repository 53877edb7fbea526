"""On the shipped examples the briefing prints each step once and loses none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.briefing import render_briefing
from agent.event_input import event_from_file
from agent.service import Suggester
from agent.shared_steps import sharing, steps_read

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "events").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_step_is_printed_or_referenced_by_number(shipped: Suggester, path: Path) -> None:
    suggestion = shipped.suggest(event_from_file(path))
    text = render_briefing(suggestion)
    plans = text.split("4. SCENARIOS", 1)[1].split("5. SIMILAR", 1)[0]
    for sc, shared in zip(suggestion.scenarios, sharing(suggestion.scenarios), strict=True):
        block = plans.split(f"   {sc.id}. ", 1)[1]
        if shared is None:
            assert all(s.action[:60] in block for s in sc.steps)
            continue
        said = re.search(rf"SAME AS {shared.base}: steps ([\d, -]+) \((\d+) steps", block)
        assert said is not None and int(said.group(2)) == len(shared.positions)
        assert all(sc.steps[i].action[:60] in block for i in shared.own)
    assert steps_read(suggestion.scenarios) <= sum(len(s.steps) for s in suggestion.scenarios)


def test_the_lead_plan_is_numbered_and_points_to_its_priorities(shipped: Suggester) -> None:
    suggestion = shipped.suggest(event_from_file(EXAMPLES[0]))
    text = render_briefing(suggestion)
    assert "FULL PLAN  (priorities: 0.)" in text
    assert re.search(r"^\s+1\.\s+T\+\d+m\s+\[", text, re.MULTILINE)
    assert text.count("PRIORITIES") <= len(suggestion.scenarios) - 1
