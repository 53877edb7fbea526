"""What may be sent to a model, and what the call log keeps: secret steps never leave or stay."""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Category, Event, Severity
from agent.errors import ConfigError
from agent.llm.base import ScenarioRequest
from agent.llm.calls import LLMCall, MemoryRecorder
from agent.llm.factory import make_llm
from agent.llm.send_policy import PolicyLLM, RedactingRecorder, is_loopback, send_clearance
from agent.rules.need_to_know import Clearance
from agent.settings import Settings
from tests.fakes import FakeLLM

SECRET = "Open the SECRETVALVE bypass behind panel 9"


def secret_sop(pack: Any) -> Any:
    sop = pack.sop("SOP-IND-TOX-001")
    step = sop.steps[3].model_copy(update={"marking": "secret", "action": SECRET})
    return sop.model_copy(update={"steps": [*sop.steps[:3], step, *sop.steps[4:]]})


def request(pack: Any) -> ScenarioRequest:
    return ScenarioRequest(
        event=Event(text="Ammonia leak near compressor 3"),
        facts={},
        category=Category(code="IND.toxic_release", confidence=0.9),
        severity=Severity(level="S3"),
        sops=[secret_sop(pack)],
    )


@pytest.mark.parametrize(
    ("configured", "url", "on_prem", "expected"),
    [
        (None, None, False, "internal"),
        (None, "https://api.example.com/v1", False, "internal"),
        (None, "http://localhost:11434/v1", False, "restricted"),
        (None, "http://127.0.0.1:8000/v1", False, "restricted"),
        (None, "http://gpu.corp.lan/v1", True, "restricted"),
        ("secret:ops", "https://api.example.com/v1", False, "secret:ops"),
    ],
)
def test_send_clearance_defaults(
    configured: str | None, url: str | None, on_prem: bool, expected: str
) -> None:
    assert str(send_clearance(configured, url, on_prem)) == expected


def test_loopback_detection() -> None:
    assert is_loopback("http://[::1]:8080/v1") and not is_loopback("http://10.0.0.5/v1")


def test_secret_steps_are_not_sent_to_a_hosted_model(pack: Any) -> None:
    fake = FakeLLM()
    fake.enqueue_scenarios([])
    PolicyLLM(fake, Clearance("internal"), None).propose_scenarios(request(pack))
    assert SECRET not in repr(fake.requests)


def test_secret_steps_sent_locally_are_hashed_in_the_call_log(pack: Any) -> None:
    memory = MemoryRecorder()
    redacting = RedactingRecorder(memory)
    fake = FakeLLM()
    fake.enqueue_scenarios([])
    PolicyLLM(fake, Clearance("secret"), redacting).propose_scenarios(request(pack))
    assert SECRET in repr(fake.requests)
    body = '{"action":"' + SECRET + '"}'
    redacting(
        LLMCall(
            node="generate",
            model="m",
            prompt_id="p",
            prompt_hash="h",
            request=body,
            response=SECRET,
        )
    )
    [row] = memory.calls
    assert SECRET not in row.request and SECRET not in (row.response or "")
    assert "[redacted sha256:" in row.request


def test_make_llm_wraps_the_backend_in_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    llm = make_llm(Settings(llm="openai:gpt-4o-mini", llm_log=False))
    assert isinstance(llm, PolicyLLM) and str(llm.send) == "internal"
    with pytest.raises(ConfigError):
        make_llm(Settings(llm="openai:gpt-4o-mini", llm_send_clearance="top"))
