"""The OpenAI-compatible backend against a real loopback server: what the operator gets."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from agent.domain import Event, Suggestion
from agent.llm.calls import MemoryRecorder
from agent.service import Suggester
from tests.llm.server import (
    Body,
    FakeOpenAI,
    Reply,
    category_reply,
    good_model,
    scenarios_reply,
    user_facts,
)

EVENT = Event(text="Ammonia leak near compressor 3, vapour cloud", site="SITE-01")
TOX = "IND.toxic_release"
Build = Callable[..., Suggester]


def compliant(s: Suggestion) -> bool:
    return bool(s.scenarios) and all(sc.adherence and sc.adherence.compliant for sc in s.scenarios)


def drop_step(step_id: str) -> Callable[[list[Body]], list[Body]]:
    return lambda steps: [s for s in steps if s["step_id"] != step_id]


def add_step(**step: Any) -> Callable[[list[Body]], list[Body]]:
    return lambda steps: [*steps, step]


def test_good_answer_is_used_and_accounted(
    llm_suggester: Build, model: FakeOpenAI, recorder: MemoryRecorder
) -> None:
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester(llm_prices={"openai:test-model": (1.0, 2.0)}).suggest(EVENT)
    assert not s.degraded and compliant(s)
    assert s.category.code == TOX and s.category.origin == "llm"
    assert all(sc.origin == "llm" for sc in s.scenarios)
    assert model.tools_called() == ["propose_category", "propose_scenarios"]
    assert s.usage.calls == 2 and s.usage.input_tokens == 200 and s.usage.output_tokens == 100
    assert s.usage.by_node["generate"].calls == 1
    assert s.usage.cost_usd == (200 * 1.0 + 100 * 2.0) / 1_000_000
    assert s.lineage.model == "openai:test-model"
    assert s.lineage.prompts["categorise"].startswith("categorise.v2@")
    assert s.lineage.prompts["generate"].startswith("scenarios.v2@")
    assert [c.node for c in recorder.calls] == ["categorise", "generate"]
    assert all(c.run_id == s.lineage.run_id and len(c.prompt_hash) == 64 for c in recorder.calls)


def test_requests_are_function_calls_at_temperature_zero(
    llm_suggester: Build, model: FakeOpenAI
) -> None:
    model.default = good_model(lambda facts: TOX)
    llm_suggester().suggest(EVENT)
    categorise, generate = model.requests
    assert categorise["temperature"] == 0 and generate["temperature"] == 0
    assert categorise["tool_choice"]["function"]["name"] == "propose_category"
    assert categorise["model"] == "test-model"


def test_prompts_carry_only_what_the_step_needs(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.default = good_model(lambda facts: TOX)
    llm_suggester().suggest(EVENT)
    categorise, generate = (user_facts(b) for b in model.requests)
    assert set(categorise) == {"event", "taxonomy", "precedent_votes"}
    assert {"code": TOX, "label": "Toxic gas release"} in categorise["taxonomy"]
    assert [sop["id"] for sop in generate["sops"]] == ["SOP-IND-TOX-001"]
    tox = generate["sops"][0]
    assert {f["id"] for f in tox["forbidden_actions"]} == {"F1", "F2", "F3"}
    assert {"id", "title", "resolution"} == set(generate["precedents"][0])
    assert "summary" not in json.dumps(generate["precedents"])


def test_malformed_json_degrades_to_offline(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(category_reply(TOX), Reply(args='{"scenarios": [{"title": "A", "steps": ['))
    s = llm_suggester().suggest(EVENT)
    assert s.degraded and compliant(s)
    assert "scenario generation by openai:test-model failed" in s.degraded_reasons[0]
    assert "malformed" in s.degraded_reasons[0] or "schema" in s.degraded_reasons[0]
    assert all(sc.origin == "rules" for sc in s.scenarios)
    assert s.category.origin == "llm"


def test_schema_violation_degrades(llm_suggester: Build, model: FakeOpenAI) -> None:
    bad_type = add_step(sop_id="SOP-IND-TOX-001", step_id="S06", action="Look around",
                        action_type="dance")
    model.enqueue(category_reply(TOX), lambda body: scenarios_reply(body, bad_type))
    s = llm_suggester().suggest(EVENT)
    assert s.degraded and "schema violation" in s.degraded_reasons[0] and compliant(s)


def test_text_instead_of_a_tool_call_degrades(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(Reply(content="I think it is a gas leak."))
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester().suggest(EVENT)
    assert s.degraded and "without calling the tool" in s.degraded_reasons[0]
    assert s.category.origin == "rules" and s.category.code == TOX


def test_category_outside_the_taxonomy_falls_back(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(category_reply("IND.alien_invasion"))
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester().suggest(EVENT)
    assert s.degraded and "outside the taxonomy" in s.degraded_reasons[0]
    assert s.category.code == TOX and s.category.origin == "rules"
    assert compliant(s)


def test_invented_step_id_is_rejected_and_recorded(llm_suggester: Build, model: FakeOpenAI) -> None:
    invented = add_step(sop_id="SOP-IND-TOX-001", step_id="S42", action="Invented step",
                        action_type="assess", owner="hse", deadline_minutes=10)
    model.enqueue(category_reply(TOX), lambda body: scenarios_reply(body, invented))
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester().suggest(EVENT)
    assert not any(st.step_id == "S42" for sc in s.scenarios for st in sc.steps)
    assert any(b.reason == "invented_reference" and b.cited == "SOP-IND-TOX-001/S42"
               for b in s.blocked)
    assert not s.degraded and compliant(s) and s.scenarios[0].origin == "llm"


def test_forbidden_action_is_fed_back_then_fixed(llm_suggester: Build, model: FakeOpenAI) -> None:
    water = add_step(action="Direct the water jet at the leak source", action_type="mitigate",
                     off_sop=True, justification="fast")
    model.enqueue(category_reply(TOX), lambda body: scenarios_reply(body, water))
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester().suggest(EVENT)
    retry = user_facts(model.requests[-1])
    assert any("forbidden action SOP-IND-TOX-001/F1" in v for v in retry["violations"])
    assert compliant(s) and not s.degraded
    assert not any("water jet" in st.action for sc in s.scenarios for st in sc.steps)
    assert not any("water jet" in st.action for sc in s.scenarios for st in sc.unvetted)


def test_stubborn_missing_mandatory_step_is_repaired_by_rules(
    llm_suggester: Build, model: FakeOpenAI
) -> None:
    model.enqueue(category_reply(TOX))
    model.default = lambda body: scenarios_reply(body, drop_step("S01"))
    s = llm_suggester(max_repair_rounds=2).suggest(EVENT)
    assert len(model.requests) == 1 + 1 + 2
    assert all("S01" in " ".join(user_facts(b)["violations"]) for b in model.requests[2:])
    sc = s.scenarios[0]
    assert compliant(s) and sc.adherence is not None
    assert any("S01" in r for r in sc.adherence.repairs)
    assert "repair" in s.lineage.nodes


def test_stubborn_forbidden_action_is_removed_by_rules(
    llm_suggester: Build, model: FakeOpenAI
) -> None:
    water = add_step(action="Direct water at the leak source", action_type="mitigate",
                     off_sop=True, justification="fast")
    model.enqueue(category_reply(TOX))
    model.default = lambda body: scenarios_reply(body, water)
    s = llm_suggester(max_repair_rounds=1).suggest(EVENT)
    assert compliant(s)
    assert not any("water at the leak" in st.action for sc in s.scenarios for st in sc.steps)
    assert any(sc.adherence and sc.adherence.repairs for sc in s.scenarios)


def test_http_500_after_bounded_retries_degrades(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.default = lambda body: Reply(status=500, headers={"retry-after-ms": "1"})
    s = llm_suggester(llm_max_retries=1).suggest(EVENT)
    assert len(model.requests) == 4  # two calls, one retry each
    assert s.degraded and len(s.degraded_reasons) == 2 and compliant(s)
    assert "HTTP 500" in s.degraded_reasons[0] and "HTTP 500" in s.degraded_reasons[1]
    assert s.category.origin == "rules" and s.usage.calls == 2


def test_http_429_is_retried_then_succeeds(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(Reply(status=429, headers={"retry-after-ms": "1"}))
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester(llm_max_retries=1).suggest(EVENT)
    assert not s.degraded and s.category.origin == "llm" and len(model.requests) == 3


def test_http_429_that_persists_degrades(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.default = lambda body: Reply(status=429, headers={"retry-after-ms": "1"})
    s = llm_suggester(llm_max_retries=1).suggest(EVENT)
    assert s.degraded and all("HTTP 429" in r for r in s.degraded_reasons) and compliant(s)


def test_slower_than_the_timeout_degrades_in_time(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(Reply(delay_s=1.5, args={"code": TOX, "confidence": 1}))
    model.default = good_model(lambda facts: TOX)
    start = time.perf_counter()
    s = llm_suggester(llm_timeout_s=0.3).suggest(EVENT)
    assert time.perf_counter() - start < 1.5  # did not wait for the slow answer
    assert s.degraded and "timed out" in s.degraded_reasons[0]
    assert s.category.origin == "rules" and s.scenarios[0].origin == "llm" and compliant(s)


def test_dropped_connection_degrades(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(category_reply(TOX), Reply(drop=True))
    s = llm_suggester().suggest(EVENT)
    assert s.degraded and "connection failed" in s.degraded_reasons[0] and compliant(s)
    assert s.category.origin == "llm" and all(sc.origin == "rules" for sc in s.scenarios)


def test_connection_refused_degrades(
    llm_suggester: Build, monkeypatch: Any, unused_port_url: str
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", unused_port_url)
    s = llm_suggester().suggest(EVENT)
    assert s.degraded and len(s.degraded_reasons) == 2 and compliant(s)
    assert all("connection failed" in r for r in s.degraded_reasons)


def test_deadline_skips_the_model_and_says_so(llm_suggester: Build, model: FakeOpenAI) -> None:
    model.enqueue(Reply(delay_s=0.5, args={"code": TOX, "confidence": 1}))
    model.default = good_model(lambda facts: TOX)
    s = llm_suggester(deadline_s=0.55, llm_min_time_s=0.2).suggest(EVENT)
    assert s.category.origin == "llm"
    assert len(model.requests) == 1  # scenario generation never reached the model
    assert s.degraded and "skipped" in s.degraded_reasons[0]
    assert "deadline" in s.degraded_reasons[0] and compliant(s)
