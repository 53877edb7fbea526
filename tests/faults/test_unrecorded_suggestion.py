"""A process killed between the graph's pause and the service's bookkeeping loses nothing.

The thread then waits for a decision with a suggestion the crisis log never recorded
(no ``suggestion`` entry, nothing for ``explain``): the next command records it first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.context import Deps
from agent.crisis.checkpoint import interrupted
from agent.crisis.service import CrisisService
from agent.domain import Event, utcnow
from agent.llm.offline import OfflineLLM
from agent.settings import Settings
from agent.state import InputState
from agent.store.crisis_log import Crisis
from tests.graph.conftest import ARCHIVE

LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")


def open_without_bookkeeping(service: CrisisService, cid: str) -> None:
    """What ``CrisisService.open`` does up to the graph's pause, as if killed right after."""
    service.log.open(Crisis(id=cid, title="leak", site="SITE-01", status="open",
                            opened_at=utcnow(), opened_by="alice", clearance="internal"))
    service.log.append(cid, "event", LEAK.text, author="alice",
                       payload={"site": LEAK.site, "facts": {}})
    service.run(InputState(event=LEAK, clearance="internal", crisis_id=cid), service._config(cid))


def test_an_unrecorded_suggestion_is_recorded_before_the_next_decision(
    pack: Any, tmp_path: Path
) -> None:
    deps = Deps(llm=OfflineLLM(), settings=Settings(home=tmp_path / "home"), pack_override=pack,
                incidents_override=ARCHIVE)
    with CrisisService(deps=deps) as service:
        check_recorded_on_next_decision(service)


def check_recorded_on_next_decision(service: CrisisService) -> None:
    open_without_bookkeeping(service, "CR-UNREC")
    assert service.current("CR-UNREC").waiting
    assert (interrupted(service, "CR-UNREC") or "").endswith("finished but not recorded")

    result = service.approve("CR-UNREC", 1, author="bob")

    assert result.approval is not None and result.approval.author == "bob"
    kinds = [e.kind for e in service.log.entries("CR-UNREC")]
    assert kinds == ["event", "suggestion", "note", "decision"]
    run_id = service.log.require("CR-UNREC").last_run_id
    assert run_id and service.suggestions.get(run_id) is not None  # `explain` can answer
    assert interrupted(service, "CR-UNREC") is None
