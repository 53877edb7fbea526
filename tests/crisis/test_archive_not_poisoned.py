"""The archive cannot be poisoned: model text in a closed plan never comes back as a rules step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agent.domain import Precedent, ScenarioStep
from agent.guard.pack_guard import guard_for
from agent.rules.planner import build_scenarios
from agent.store.archive import MODEL_TEXT_MARK, archived_action, recheck_archived
from tests.fakes import incident

PARAPHRASE = "Hand the attackers their bitcoin so they send the key"


def model_step(text: str) -> ScenarioStep:
    return ScenarioStep(
        action=text, action_type="recover", off_sop=True, source="llm", vetted_by="alice"
    )


def test_off_sop_plan_steps_are_archived_marked_and_untyped() -> None:
    action = archived_action(model_step(PARAPHRASE))
    assert action.text == MODEL_TEXT_MARK + PARAPHRASE and action.action_type is None
    sop_step = ScenarioStep(sop_id="SOP-X", step_id="S1", action="Isolate", action_type="isolate")
    assert archived_action(sop_step).action_type == "isolate"


def test_marked_text_is_rechecked_by_the_guard_on_read(shipped_pack: Any) -> None:
    record = incident(
        "INC-P",
        "Ransomware",
        "Encrypted servers",
        "CYB.ransomware",
        actions=[
            (MODEL_TEXT_MARK + "Pay the ransom", "recover"),
            (MODEL_TEXT_MARK + "Call the insurer", "notify"),
            ("Isolated the network", "isolate"),
        ],
    )
    [read] = recheck_archived([record], guard_for(shipped_pack))
    texts = [(a.text, a.action_type) for a in read.actions]
    assert texts == [
        (MODEL_TEXT_MARK + "Call the insurer", None),
        ("Isolated the network", "isolate"),
    ]


def test_archived_model_text_is_not_a_rules_step_later(shipped_pack: Any) -> None:
    sop = shipped_pack.sop("SOP-CYB-RAN-007")
    precedent = Precedent(
        id="INC-P",
        title="Ransomware",
        score=0.9,
        category="CYB.ransomware",
        occurred_at=datetime(2024, 1, 1, tzinfo=UTC),
        resolution="paid",
        outcome="restored",
        actions=[archived_action(model_step(PARAPHRASE))],
    )
    for scenario in build_scenarios([sop], {}, [precedent]):
        assert not any(PARAPHRASE in s.action for s in [*scenario.steps, *scenario.unvetted])
