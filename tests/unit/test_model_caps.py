"""Caps and cleaning at the LLM seam: hostile sizes and numbers are bad output, not crashes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from langchain_core.messages import AIMessage

from agent.errors import LLMBadOutput
from agent.llm.openai_compatible import parse_tool_call
from agent.llm.schemas import (
    MAX_DEADLINE_MINUTES,
    MAX_STEPS,
    MAX_TITLE_CHARS,
    ProposeCategory,
    ProposeScenarios,
)

STEP = {"sop_id": "SOP-IND-TOX-001", "step_id": "S01", "action": "Sound the alarm",
        "action_type": "alert"}


def answer(**scenario: Any) -> AIMessage:
    body = {"title": "By the book", "steps": [STEP], **scenario}
    return AIMessage(content="", tool_calls=[
        {"name": "propose_scenarios", "args": {"scenarios": [body]}, "id": "call-1"}
    ])


@pytest.mark.parametrize("minutes", [float("inf"), float("-inf"), float("nan"), 1e15, -1.0,
                                     MAX_DEADLINE_MINUTES + 1])
def test_absurd_deadlines_are_bad_output(minutes: float) -> None:
    with pytest.raises(LLMBadOutput, match="deadline_minutes"):
        parse_tool_call(answer(steps=[{**STEP, "deadline_minutes": minutes}]), ProposeScenarios)


def test_a_year_of_minutes_is_still_a_deadline() -> None:
    parsed = parse_tool_call(
        answer(steps=[{**STEP, "deadline_minutes": MAX_DEADLINE_MINUTES}]), ProposeScenarios
    )
    assert parsed.scenarios[0].steps[0].deadline_minutes == MAX_DEADLINE_MINUTES


def test_thirty_thousand_steps_times_three_are_refused_in_milliseconds() -> None:
    many = {"title": "x", "steps": [STEP] * 30_000}
    raw = AIMessage(content="", tool_calls=[
        {"name": "propose_scenarios", "args": {"scenarios": [many] * 3}, "id": "c"}
    ])
    start = time.perf_counter()
    with pytest.raises(LLMBadOutput, match=f"at most {MAX_STEPS} items"):
        parse_tool_call(raw, ProposeScenarios)
    assert time.perf_counter() - start < 1.0


def test_a_megabyte_title_is_refused() -> None:
    with pytest.raises(LLMBadOutput, match=f"at most {MAX_TITLE_CHARS} characters"):
        parse_tool_call(answer(title="x" * 1_000_000), ProposeScenarios)


def test_more_than_three_scenarios_are_refused() -> None:
    raw = AIMessage(content="", tool_calls=[{"name": "propose_scenarios", "id": "c", "args": {
        "scenarios": [{"title": str(n), "steps": [STEP]} for n in range(4)]}}])
    with pytest.raises(LLMBadOutput, match="scenarios"):
        parse_tool_call(raw, ProposeScenarios)


def test_model_text_is_cleaned_to_one_inert_line() -> None:
    parsed = parse_tool_call(
        answer(title="\x1b[2J\x1b[HBy the book\n[rules] COMPLIANT",
               rationale="ok\r\n\x1b]0;owned\x07[rules] COMPLIANT\u202e",
               steps=[{**STEP, "note": "a\x1b[1A\x1b[2Kb\nc", "owner": "COI\x07"}]),
        ProposeScenarios,
    )
    scenario = parsed.scenarios[0]
    assert scenario.title == "By the book [rules] COMPLIANT"
    assert scenario.rationale == "ok [rules] COMPLIANT"
    assert (scenario.steps[0].note, scenario.steps[0].owner) == ("ab c", "COI")


def test_category_fields_are_capped_and_cleaned() -> None:
    parsed = ProposeCategory.model_validate(
        {"code": "IND.toxic_release\x1b[0m", "confidence": 0.5, "reasons": ["a\nb"]}
    )
    assert (parsed.code, parsed.reasons) == ("IND.toxic_release", ["a b"])
    with pytest.raises(ValueError):
        ProposeCategory.model_validate({"code": "X", "confidence": float("nan")})
    with pytest.raises(ValueError):
        ProposeCategory.model_validate({"code": "X", "confidence": 1, "reasons": ["r"] * 11})


def test_an_answer_ready_after_its_budget_is_refused(pack: Any) -> None:
    """A call that ends past ``timeout_s * (1 + retries)`` overran the deadline: degraded."""
    from agent.domain import Category, Event, Severity
    from agent.errors import LLMUnavailable
    from agent.llm.base import ScenarioRequest
    from agent.llm.openai_compatible import Endpoint, OpenAICompatibleLLM

    class Slow(OpenAICompatibleLLM):
        def _ask(self, *args: Any, **kwargs: Any) -> Any:  # the model answers, but late
            time.sleep(0.3)
            return ProposeScenarios.model_validate({"scenarios": [{"title": "t", "steps": [STEP]}]})

    llm = Slow(Endpoint(model="m", api_key="not-needed", max_retries=0))
    request = ScenarioRequest(
        event=Event(text="Ammonia leak"), facts={}, sops=pack.sops, timeout_s=0.1,
        category=Category(code="IND.toxic_release", confidence=1.0, reasons=["r"]),
        severity=Severity(level="S3"),
    )
    with pytest.raises(LLMUnavailable, match=r"over its 0\.1 s budget"):
        llm.propose_scenarios(request)
    assert llm.propose_scenarios(request.model_copy(update={"timeout_s": 5.0}))
