from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.context import Deps
from agent.crisis.service import CrisisService
from agent.llm.offline import OfflineLLM
from agent.settings import Settings
from tests.graph.conftest import ARCHIVE


@pytest.fixture
def make_service(pack: Any, tmp_path: Path) -> Iterator[Callable[..., CrisisService]]:
    opened: list[CrisisService] = []

    def build(llm: Any = None, incidents: Any = ARCHIVE, **settings: Any) -> CrisisService:
        config = Settings(home=tmp_path / "home", **settings)
        deps = Deps(
            llm=llm or OfflineLLM(),
            settings=config,
            pack_override=pack,
            incidents_override=incidents,
        )
        service = CrisisService(deps=deps)
        opened.append(service)
        return service

    yield build
    for service in opened:
        service.close_resources()
