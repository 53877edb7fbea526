"""Dependencies are LangGraph's runtime context: one compiled graph, any backend."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from agent import graph as graph_module
from agent.context import Deps
from agent.domain import Event
from agent.graph import build_graph, environment_deps
from agent.llm.offline import OfflineLLM
from agent.service import Suggester
from agent.settings import Settings
from agent.state import InputState
from tests.graph.conftest import ARCHIVE

LEAK = Event(text="Ammonia leak near compressor 3, vapour cloud", site="SITE-01")


class NamedOffline(OfflineLLM):
    """The offline backend under another name, to tell two runs' backends apart."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def name(self) -> str:
        return self._name


def test_one_compiled_graph_serves_two_backends(pack: Any) -> None:
    first, second = (
        Suggester(deps=Deps(llm=NamedOffline(n), pack_override=pack, incidents_override=ARCHIVE))
        for n in ("offline-a", "offline-b")
    )
    assert first.graph is second.graph is build_graph()
    assert first.suggest(LEAK).lineage.model == "offline-a"
    assert second.suggest(LEAK).lineage.model == "offline-b"


def test_the_langgraph_json_graph_uses_the_backend_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment_deps.cache_clear()
    monkeypatch.setenv("CRISISCELL_LLM", "ollama:llama3.1")
    try:
        assert environment_deps().llm.name == "ollama:llama3.1"
    finally:
        environment_deps.cache_clear()
    monkeypatch.setenv("CRISISCELL_LLM", "offline")
    result = graph_module.graph.invoke(InputState(event=LEAK, clearance="internal"))
    assert result["suggestion"].lineage.model == "offline"
    assert Settings().llm == "offline"
    environment_deps.cache_clear()


def test_importing_the_graph_compiles_nothing() -> None:
    code = (
        "import agent.graph as g\n"
        "print(g.build_graph.cache_info().currsize, g.environment_deps.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "0"]


def test_the_crisis_graph_is_compiled_once_and_bound_per_checkpointer() -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    from agent.graph import _crisis_graph, build_crisis_graph

    first, second = InMemorySaver(), InMemorySaver()
    a, b = build_crisis_graph(first), build_crisis_graph(second)
    assert a.checkpointer is first and b.checkpointer is second
    assert _crisis_graph().checkpointer is None and _crisis_graph.cache_info().currsize == 1
    assert a.nodes.keys() == b.nodes.keys() == _crisis_graph().nodes.keys()
