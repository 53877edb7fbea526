"""The whole graph through the loopback model for every shipped example event."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent.context import Deps
from agent.event_input import event_from_file
from agent.llm.factory import make_llm
from agent.pack.loader import load_pack
from agent.service import Suggester
from agent.settings import Settings
from tests.graph.conftest import ARCHIVE
from tests.llm.server import FakeOpenAI, LoopbackServer, good_model

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "events").glob("*.yaml"))
EXPECTED = yaml.safe_load((ROOT / "examples" / "expected.yaml").read_text())


@pytest.fixture(scope="module")
def suggester_and_model() -> tuple[Suggester, FakeOpenAI, LoopbackServer]:
    texts = {event_from_file(p).text: EXPECTED[p.name]["category"] for p in EXAMPLES}
    model = FakeOpenAI(good_model(lambda facts: texts[facts["event"]["text"]]))
    server = LoopbackServer(model).__enter__()
    settings = Settings(
        llm="openai:test-model", openai_base_url=server.url, openai_api_key="test-key",
        llm_max_retries=0, llm_timeout_s=5, llm_log=False,
    )
    deps = Deps(
        llm=make_llm(settings), settings=settings,
        pack_override=load_pack(ROOT / "sops"), incidents_override=ARCHIVE,
    )
    return Suggester(deps=deps), model, server


@pytest.fixture(scope="module", autouse=True)
def _stop_server(suggester_and_model: tuple[Suggester, FakeOpenAI, LoopbackServer]) -> object:
    yield
    suggester_and_model[2].__exit__(None, None, None)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_event_is_compliant_through_the_model(
    path: Path, suggester_and_model: tuple[Suggester, FakeOpenAI, LoopbackServer]
) -> None:
    suggester, model, _ = suggester_and_model
    before = len(model.requests)
    s = suggester.suggest(event_from_file(path))
    assert not s.degraded, s.degraded_reasons
    assert s.category.code == EXPECTED[path.name]["category"] and s.category.origin == "llm"
    assert s.scenarios and all(sc.origin == "llm" for sc in s.scenarios)
    assert all(sc.adherence and sc.adherence.compliant for sc in s.scenarios)
    assert "repair" not in s.lineage.nodes
    assert s.usage.calls == 2 == len(model.requests) - before
