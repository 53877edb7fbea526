"""Fixtures: a scripted OpenAI-compatible server on loopback, and suggesters wired to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from agent.context import Deps
from agent.llm.calls import MemoryRecorder
from agent.llm.factory import make_llm
from agent.service import Suggester
from agent.settings import Settings
from tests.graph.conftest import ARCHIVE
from tests.llm.server import FakeOpenAI, LoopbackServer

MODEL = "openai:test-model"
FAST = {"llm_timeout_s": 2.0, "llm_max_retries": 0, "llm_log": False}
"""Short timeouts and no retries, so failure cases take milliseconds."""


@pytest.fixture
def model() -> FakeOpenAI:
    return FakeOpenAI()


@pytest.fixture
def server(model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    with LoopbackServer(model) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-real")
        yield srv


@pytest.fixture
def recorder() -> MemoryRecorder:
    return MemoryRecorder()


@pytest.fixture
def llm_suggester(
    server: LoopbackServer, pack: Any, recorder: MemoryRecorder
) -> Callable[..., Suggester]:
    """A Suggester on the fixture pack whose model is the loopback server."""

    def build(**overrides: Any) -> Suggester:
        settings = Settings(**{"llm": MODEL, **FAST, **overrides})
        llm = make_llm(settings, recorder=recorder)
        deps = Deps(llm=llm, settings=settings, pack_override=pack, incidents_override=ARCHIVE)
        return Suggester(deps=deps)

    return build


@pytest.fixture
def unused_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
