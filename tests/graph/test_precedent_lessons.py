"""Issue 11 on the shipped pack and archive: past actions are lessons beside the plan."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from agent.domain import Event, Suggestion
from agent.service import Suggester
from tests.conftest import ROOT

CASES: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "tests" / "data" / "precedents" / "events.yaml").read_text()
)
DEV = [c for c in CASES if c["split"] == "dev"]  # the `held` third is measured, never tested


@pytest.fixture(scope="module")
def suggestions(shipped: Suggester) -> dict[str, Suggestion]:
    return {c["id"]: shipped.suggest(Event(text=c["text"])) for c in DEV}


def test_the_event_file_is_bilingual_and_keeps_a_third_aside() -> None:
    assert len(CASES) >= 10
    assert sum(c["split"] == "held" for c in CASES) >= len(CASES) // 3


@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_no_narrative_or_condemned_past_action_becomes_a_step(
    case: dict[str, Any], suggestions: dict[str, Suggestion]
) -> None:
    s = suggestions[case["id"]]
    allowed = {p.text for item in s.lessons for p in item.done if p.verdict == "vetted"}
    copied = [st.action for sc in s.scenarios for st in sc.steps if st.source == "precedent"]
    assert set(copied) <= allowed


@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_every_precedent_comes_with_its_lesson(
    case: dict[str, Any], suggestions: dict[str, Suggestion]
) -> None:
    s = suggestions[case["id"]]
    top = [p.id for p in s.precedents[:3]]
    assert [item.precedent_id for item in s.lessons] == top
    for item in s.lessons:
        for past in item.done:
            assert (past.verdict == "mapped") == (past.step is not None)


def test_a_tactic_that_killed_responders_is_a_dont_not_a_step(
    suggestions: dict[str, Suggestion],
) -> None:
    s = suggestions["ammonium-nitrate-fire"]
    condemned = [p for item in s.lessons for p in item.done if p.verdict == "condemned"]
    assert condemned, "the ammonium nitrate precedents condemn at least one past action"
    texts = {st.action for sc in s.scenarios for st in sc.steps}
    assert not texts & {p.text for p in condemned}


def test_the_briefing_shows_lessons_beside_the_plan(suggestions: dict[str, Suggestion]) -> None:
    from agent.briefing import render_briefing

    text = render_briefing(suggestions["ammonium-nitrate-fire"])
    assert "what was done (lessons, not steps):" in text
    assert "[DON'T]" in text
    assert text.index("4. SCENARIOS") < text.index("lessons, not steps")


@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_the_briefing_and_json_lead_with_the_first_minutes(
    case: dict[str, Any], suggestions: dict[str, Suggestion]
) -> None:
    from agent.briefing import render_briefing
    from agent.briefing_labels import label

    s = suggestions[case["id"]]
    assert all(sc.priorities for sc in s.scenarios)
    text = render_briefing(s)
    assert text.index(label(s.language, "0. FIRST 30 MINUTES")) < text.index("1. SITUATION")
    keys = list(s.scenarios[0].model_dump(mode="json"))
    assert keys.index("priorities") < keys.index("steps")


def test_the_donts_of_the_hour_come_before_the_situation(
    suggestions: dict[str, Suggestion],
) -> None:
    from agent.briefing import render_briefing

    s = suggestions["amm-compressor"]
    assert s.donts and all(d.ref.startswith(d.sop_id + "/") for d in s.donts)
    text = render_briefing(s)
    assert text.index("DON'TS OF THE HOUR") < text.index("1. SITUATION")
