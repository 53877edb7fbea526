"""The graph with a scripted model at our own seam: what the operator gets in each case."""

from collections.abc import Callable
from typing import Any

from agent.domain import Category, Event, Scenario, ScenarioStep
from agent.errors import LLMBadOutput, LLMUnavailable
from agent.llm.base import ScenarioRequest
from agent.rules.planner import build_scenarios
from agent.service import Suggester
from tests.fakes import FakeLLM

EVENT = Event(text="Ammonia leak near compressor 3, vapour cloud", site="SITE-01")
GOOD_CATEGORY = Category(code="IND.toxic_release", confidence=0.9, origin="llm", reasons=["model"])


def good_scenarios(pack: Any) -> list[Scenario]:
    sop = pack.sop("SOP-IND-TOX-001")
    return build_scenarios([sop], {})[:2]


def with_extra_step(scenario: Scenario, step: ScenarioStep) -> Scenario:
    return scenario.model_copy(update={"steps": [*scenario.steps, step]})


def test_model_answers_are_used_when_valid(
    make_suggester: Callable[..., Suggester], pack: Any
) -> None:
    llm = FakeLLM().enqueue_category(GOOD_CATEGORY).enqueue_scenarios(good_scenarios(pack))
    s = make_suggester(llm).suggest(EVENT)
    assert s.category.origin == "llm" and not s.degraded
    assert all(sc.origin == "llm" and sc.adherence and sc.adherence.compliant for sc in s.scenarios)
    assert s.lineage.model == "fake:model" and s.lineage.prompts


def test_unknown_category_falls_back_and_says_so(
    make_suggester: Callable[..., Suggester], pack: Any
) -> None:
    bad = Category(code="IND.alien_invasion", confidence=0.99, origin="llm")
    llm = FakeLLM().enqueue_category(bad).enqueue_scenarios(good_scenarios(pack))
    s = make_suggester(llm).suggest(EVENT)
    assert s.category.code == "IND.toxic_release" and s.category.origin == "rules"
    assert s.degraded and "outside the taxonomy" in s.degraded_reasons[0]


def test_unavailable_model_degrades_to_offline(make_suggester: Callable[..., Suggester]) -> None:
    llm = FakeLLM().enqueue_category(LLMUnavailable("connection refused"))
    llm.enqueue_scenarios(LLMUnavailable("timeout"))
    s = make_suggester(llm).suggest(EVENT)
    assert s.degraded and len(s.degraded_reasons) == 2
    assert s.scenarios and all(sc.origin == "rules" for sc in s.scenarios)
    assert all(sc.adherence and sc.adherence.compliant for sc in s.scenarios)


def test_forbidden_action_is_fed_back_then_fixed(
    make_suggester: Callable[..., Suggester], pack: Any
) -> None:
    forbidden = ScenarioStep(
        action="Direct the water jet at the leak source",
        action_type="mitigate",
        off_sop=True,
        justification="fast",
    )
    first = [with_extra_step(good_scenarios(pack)[0], forbidden)]
    llm = FakeLLM().enqueue_category(GOOD_CATEGORY).enqueue_scenarios(first)
    llm.enqueue_scenarios(good_scenarios(pack))
    s = make_suggester(llm).suggest(EVENT)
    retry = llm.requests[-1]
    assert isinstance(retry, ScenarioRequest)
    assert retry.feedback[0].kind == "forbidden"
    assert all(sc.adherence and sc.adherence.compliant for sc in s.scenarios)
    assert not any("water jet" in st.action for sc in s.scenarios for st in sc.steps)


def test_stubborn_model_is_repaired_by_rules(
    make_suggester: Callable[..., Suggester], pack: Any
) -> None:
    scenario = good_scenarios(pack)[0]
    invented = ScenarioStep(
        sop_id="SOP-IND-TOX-001", step_id="S42", action="Invented step", action_type="assess"
    )
    pruned = scenario.model_copy(
        update={"steps": [s for s in scenario.steps if s.step_id != "S01"]}
    )
    bad = [with_extra_step(pruned, invented)]
    llm = FakeLLM().enqueue_category(GOOD_CATEGORY)
    for _ in range(3):
        llm.enqueue_scenarios(bad)
    s = make_suggester(llm, max_repair_rounds=2).suggest(EVENT)
    sc = s.scenarios[0]
    assert sc.adherence and sc.adherence.compliant
    repairs = " ".join(sc.adherence.repairs)
    assert "S42" in repairs and "S01" in repairs
    assert "repair" in s.lineage.nodes


def test_malformed_output_is_a_degraded_answer(make_suggester: Callable[..., Suggester]) -> None:
    llm = FakeLLM().enqueue_category(GOOD_CATEGORY).enqueue_scenarios(LLMBadOutput("not JSON"))
    s = make_suggester(llm).suggest(EVENT)
    assert s.degraded and "not JSON" in s.degraded_reasons[0]
    assert s.scenarios


def test_prompts_carry_only_what_the_step_needs(
    make_suggester: Callable[..., Suggester], pack: Any
) -> None:
    llm = FakeLLM().enqueue_category(GOOD_CATEGORY).enqueue_scenarios(good_scenarios(pack))
    make_suggester(llm).suggest(EVENT)
    scenario_request = llm.requests[1]
    assert isinstance(scenario_request, ScenarioRequest)
    assert [s.id for s in scenario_request.sops] == ["SOP-IND-TOX-001"]
    assert len(scenario_request.precedents) <= 5
