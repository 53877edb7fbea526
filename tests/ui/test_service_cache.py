"""The console reads through one cached crisis service: a rerun compiles no graph."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from agent.crisis.service import CrisisService
from tests.ui.conftest import page_text
from ui.state import StateKeys

Build = Callable[..., AppTest]


def test_reruns_of_a_crisis_build_no_new_service(
    app: Build, seeded_crisis: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    crisis_id = seeded_crisis()
    built: list[CrisisService] = []
    real = CrisisService.__init__

    def counting(self: CrisisService, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(CrisisService, "__init__", counting)
    at = app(CRISIS_ID=crisis_id)
    first = len(built)
    at.run()
    at.run()
    assert not at.exception
    assert first <= 1, "one service for the first run (sidebar, header, clocks, board...)"
    assert len(built) == first, "reruns reuse it"
    assert "Courses of action" in page_text(at)


def test_a_streamed_run_leaves_the_shared_service_unwrapped(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    from ui import backend

    at = app(CRISIS_ID=seeded_crisis())
    shared = backend._service(*backend._config())
    graph = shared.graph
    at.button(key=StateKeys.REGENERATE).click().run()
    at.run()
    assert not at.exception
    assert backend._service(*backend._config()) is shared
    assert shared.graph is graph, "streaming watches the caller's view, not the shared service"
    assert getattr(shared, "observer", None) is None
