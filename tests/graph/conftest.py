from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agent.context import Deps
from agent.llm.base import LLM
from agent.llm.offline import OfflineLLM
from agent.pack.loader import load_pack
from agent.service import Suggester
from agent.settings import Settings
from agent.store.archive import read_history_dir
from tests.fakes import incident

ARCHIVE = [
    incident(
        "INC-AMMONIA",
        "Ammonia leak at a cold store",
        "A valve on the ammonia refrigeration circuit failed and vapour spread; staff "
        "sheltered and the fire brigade isolated the area.",
        "IND.toxic_release",
        actions=[
            ("Sounded the toxic alarm and sent staff to shelter rooms", "alert"),
            ("Isolated the area around the leak and denied entry", "isolate"),
            ("Closed the emergency shut-off valves remotely", "contain"),
            ("Set up water curtains to knock down the vapour", "mitigate"),
            ("Briefed neighbours by phone about the smell", "communicate"),
        ],
    ),
    incident(
        "INC-FLOOD",
        "River flood at a pumping station",
        "The river burst its banks and water entered the pumping station.",
        "NAT.flood",
    ),
]


@pytest.fixture
def make_suggester(pack: Any) -> Callable[..., Suggester]:
    def build(llm: LLM | None = None, **settings: Any) -> Suggester:
        deps = Deps(
            llm=llm or OfflineLLM(),
            settings=Settings(**settings),
            pack_override=pack,
            incidents_override=ARCHIVE,
        )
        return Suggester(deps=deps)

    return build


@pytest.fixture(scope="module")
def shipped() -> Suggester:
    """The offline suggester on the shipped pack and the shipped archive files."""
    settings = Settings()
    deps = Deps(
        llm=OfflineLLM(),
        settings=settings,
        pack_override=load_pack(settings.sops_dir),
        incidents_override=read_history_dir(settings.history_dir),
    )
    return Suggester(deps=deps)
