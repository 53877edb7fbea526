"""`crisiscell llm check`, the SQL call log, configuration and the time budget."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.context import Deps, SqlRecorder
from agent.domain import Event, utcnow
from agent.errors import ConfigError
from agent.llm.budget import call_budget
from agent.llm.factory import make_llm
from agent.llm.offline import OfflineLLM
from agent.llm.openai_compatible import OpenAICompatibleLLM
from agent.llm.send_policy import unwrap
from agent.service import Suggester
from agent.settings import Settings
from agent.store.db import engine_for
from agent.store.llm_calls import LLMCallRepository
from agent.store.suggestions import SuggestionRepository
from tests.graph.conftest import ARCHIVE
from tests.llm.server import FakeOpenAI, LoopbackServer, Reply, good_model

runner = CliRunner()
EVENT = Event(text="Ammonia leak near compressor 3, vapour cloud", site="SITE-01")


def test_llm_check_reports_model_latency_and_structured_output(
    server: LoopbackServer, model: FakeOpenAI
) -> None:
    model.default = good_model(lambda facts: "IND.fire")
    result = runner.invoke(app, ["llm", "check", "--llm", "openai:test-model"])
    assert result.exit_code == 0, result.output
    assert "model: openai:test-model" in result.output
    assert f"endpoint: {server.url}" in result.output
    assert "ms round trip" in result.output and "function calling): ok" in result.output
    assert model.tools_called() == ["report_ready"]


def test_llm_check_fails_when_structured_output_does_not_work(
    server: LoopbackServer, model: FakeOpenAI
) -> None:
    model.default = lambda body: Reply(content="Sure! Here is my answer.")
    result = runner.invoke(app, ["llm", "check", "--llm", "openai:test-model"])
    assert result.exit_code == 1 and "FAILED" in result.output


def test_llm_check_fails_when_nothing_answers(
    monkeypatch: pytest.MonkeyPatch, unused_port_url: str
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", unused_port_url)
    monkeypatch.setenv("CRISISCELL_LLM_MAX_RETRIES", "0")
    result = runner.invoke(app, ["llm", "check", "--llm", "ollama:llama3.1"])
    assert result.exit_code == 5 and "answered: no" in result.output
    assert "Connection refused" in result.output


def test_llm_check_offline_has_nothing_to_check() -> None:
    result = runner.invoke(app, ["llm", "check"])
    assert result.exit_code == 0 and "offline" in result.output


def test_calls_are_logged_to_the_sql_store(
    server: LoopbackServer, model: FakeOpenAI, pack: Any
) -> None:
    model.enqueue(Reply(status=500))
    model.default = good_model(lambda facts: "IND.toxic_release")
    settings = Settings(llm="openai:test-model", llm_max_retries=0)
    llm = make_llm(settings)
    assert isinstance(unwrap(llm), OpenAICompatibleLLM)
    assert isinstance(llm.recorder.inner, SqlRecorder)
    deps = Deps(llm=llm, settings=settings, pack_override=pack, incidents_override=ARCHIVE)
    s = Suggester(deps=deps).suggest(EVENT)
    llm.recorder.flush()
    calls = LLMCallRepository(engine_for(settings)).for_run(s.lineage.run_id)
    assert [c.node for c in calls] == ["categorise", "generate"]
    failed, answered = calls
    assert failed.error and "HTTP 500" in failed.error and failed.response is None
    assert answered.error is None and answered.response and "propose_scenarios" in answered.response
    assert answered.input_tokens == 100 and answered.output_tokens == 50 and answered.latency_ms > 0
    assert answered.prompt_id == "scenarios.v2" and len(answered.prompt_hash) == 64
    assert '"sops"' in answered.request
    SuggestionRepository(engine_for(settings)).save(s)  # as `suggest` does: the run's marking
    listing = runner.invoke(app, ["llm", "calls", s.lineage.run_id])
    assert listing.exit_code == 0
    assert "scenarios.v2@" in listing.output and "HTTP 500" in listing.output


@pytest.mark.parametrize(
    ("spec", "env", "url"),
    [
        ("ollama:llama3.1", {}, "http://localhost:11434/v1"),
        ("vllm:qwen2.5-7b-instruct", {}, "http://localhost:8000/v1"),
        ("openai:gpt-4o-mini", {"OPENAI_API_KEY": "sk-test"}, None),
        ("openai:qwen2.5", {"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"}, "http://127.0.0.1:8080/v1"),
    ],
)
def test_factory_builds_openai_compatible_backends(
    spec: str, env: dict[str, str], url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    llm = unwrap(make_llm(Settings(llm=spec, llm_log=False)))
    assert isinstance(llm, OpenAICompatibleLLM)
    assert llm.name == spec and llm.endpoint.base_url == url


@pytest.mark.parametrize("spec", ["openai:gpt-4o-mini", "anthropic:claude", "openai"])
def test_factory_rejects_what_it_cannot_build(spec: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigError):
        make_llm(Settings(llm=spec))


def test_offline_reports_zero_usage() -> None:
    assert isinstance(make_llm(Settings()), OfflineLLM)
    assert OfflineLLM().take_usage("any").calls == 0


def test_env_vars_configure_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_LLM", "openai:m")
    monkeypatch.setenv("CRISISCELL_LLM_TIMEOUT_S", "7")
    monkeypatch.setenv("CRISISCELL_DEADLINE_S", "30")
    monkeypatch.setenv("CRISISCELL_MAX_REPAIR_ROUNDS", "1")
    monkeypatch.setenv("CRISISCELL_LLM_PRICES", '{"openai:m": [1.5, 6]}')
    s = Settings()
    assert (s.llm, s.llm_timeout_s, s.deadline_s, s.max_repair_rounds) == ("openai:m", 7, 30, 1)
    assert s.llm_prices == {"openai:m": (1.5, 6.0)}


@pytest.mark.parametrize(
    ("left_s", "timeout", "skip"),
    [(None, 20.0, None), (45.0, 15.0, None), (3.0, 1.0, None), (0.5, None, "left"),
     (-1.0, None, "passed")],
)
def test_call_budget(left_s: float | None, timeout: float | None, skip: str | None) -> None:
    settings = Settings(llm_timeout_s=20, llm_max_retries=2, llm_min_time_s=1)
    now = utcnow()
    deadline = None if left_s is None else now + timedelta(seconds=left_s)
    budget = call_budget(deadline, settings, now)
    assert budget.timeout_s == timeout
    assert (budget.skip is None) if skip is None else (skip in (budget.skip or ""))
