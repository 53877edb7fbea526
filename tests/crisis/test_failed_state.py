"""A run that fails (not a kill) leaves the crisis ``failed``: shown, listed, retried or closed.

The failure is injected at our own seams: the graph's dependencies (an archive index
that breaks, so the ``retrieve`` node raises) and the service's suggestion repository
(a store error after the run, before its suggestion is recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from agent.cli import app
from agent.context import Deps
from agent.crisis.checkpoint import interrupted
from agent.crisis.service import CrisisService
from agent.domain import Event
from agent.errors import CrisisCellError, InputError, StoreError
from agent.llm.offline import OfflineLLM
from agent.retrieval import Retriever
from agent.rules.need_to_know import Clearance
from agent.settings import Settings
from agent.store.db import dispose_engines
from agent.store.incidents import IncidentRepository
from tests.graph.conftest import ARCHIVE

LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")
CID = "CR-FAIL-1"


class BreakableDeps(Deps):
    """The graph's dependencies, with an archive index that can be broken on demand."""

    broken = False

    def retriever_for(self, clearance: Clearance, *, everything: bool = False) -> Retriever:
        if self.broken:
            raise RuntimeError("archive index corrupt")
        return super().retriever_for(clearance, everything=everything)

    def forget_archive(self) -> None:
        if self.broken:  # closing: the incident is written, the archive cache cannot be reset
            raise RuntimeError("archive cache locked")
        super().forget_archive()


@pytest.fixture
def service(pack: Any, tmp_path: Path) -> Iterator[CrisisService]:
    deps = BreakableDeps(llm=OfflineLLM(), settings=Settings(home=tmp_path / "home"),
                         pack_override=pack, incidents_override=ARCHIVE)
    with CrisisService(deps=deps) as opened:
        yield opened
    dispose_engines()


def breaks(service: CrisisService, broken: bool = True) -> None:
    assert isinstance(service.deps, BreakableDeps)
    service.deps.broken = broken


def kinds(service: CrisisService) -> list[str]:
    return [e.kind for e in service.log.entries(CID)]


def test_failed_open_is_explicit_then_retried(service: CrisisService) -> None:
    breaks(service)
    with pytest.raises(CrisisCellError) as failed:
        service.open(LEAK, crisis_id=CID)
    message = str(failed.value)
    assert "failed during open" in message and "archive index corrupt" in message
    assert f"crisiscell crisis retry {CID}" in message and failed.value.exit_code == 1
    assert service.require(CID).status == "failed" and kinds(service) == ["event", "failed"]
    assert [c.status for c in service.crises()] == ["failed"]
    assert not service.current(CID).waiting
    refused: list[Callable[[], object]] = [
        lambda: service.approve(CID, 1), lambda: service.update(CID, text="wind"),
        lambda: service.open(LEAK, crisis_id=CID),
    ]
    for decide in refused:
        with pytest.raises(InputError, match="retry it"):
            decide()
    breaks(service, False)
    retried = service.retry(CID, author="bob")
    assert retried.waiting and retried.suggestion is not None
    assert service.require(CID).status == "open"
    assert kinds(service) == ["event", "failed", "note", "suggestion", "note"]
    assert service.approve(CID, 1, author="bob").approval is not None


def test_failed_retry_fails_again_and_stays_failed(service: CrisisService) -> None:
    breaks(service)
    with pytest.raises(CrisisCellError):
        service.open(LEAK, crisis_id=CID)
    with pytest.raises(CrisisCellError, match="failed during retry"):
        service.retry(CID)
    assert service.require(CID).status == "failed" and kinds(service).count("failed") == 2
    breaks(service, False)
    assert service.retry(CID).waiting
    with pytest.raises(InputError, match="has not failed"):
        service.retry(CID)


def test_failed_update_keeps_the_last_suggestion_and_can_be_closed(
    service: CrisisService,
) -> None:
    first = service.open(LEAK, crisis_id=CID).suggestion
    assert first is not None
    breaks(service)
    with pytest.raises(CrisisCellError, match="failed during update"):
        service.update(CID, text="a second cloud near the gate")
    assert service.require(CID).status == "failed"
    kept = service.current(CID).suggestion
    assert kept is not None and kept.lineage.run_id == first.lineage.run_id
    breaks(service, False)  # closing needs no index, but resets the archive cache
    closed = service.close(CID, resolution="leak stopped", outcome="no injury", author="carol")
    assert closed.crisis.status == "closed" and not closed.waiting
    assert kinds(service)[-1] == "close" and interrupted(service, CID) is None
    with pytest.raises(InputError, match="already exists"):  # nothing left to resume
        service.open(LEAK, crisis_id=CID)
    archived = [i for i in IncidentRepository(service.engine).all() if CID in i.id]
    assert len(archived) == 1 and archived[0].resolution == "leak stopped"


def test_store_error_before_the_suggestion_is_recorded(
    service: CrisisService, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("INSERT INTO suggestions", {}, Exception("database or disk is full"))

    monkeypatch.setattr(service.suggestions, "save", disk_full)
    with pytest.raises(StoreError, match="disk is full") as failed:
        service.open(LEAK, crisis_id=CID)
    assert failed.value.exit_code == 4 and service.require(CID).status == "failed"
    assert "suggestion" not in kinds(service)
    monkeypatch.undo()
    retried = service.retry(CID)
    assert retried.waiting and retried.suggestion is not None
    assert service.suggestions.get(retried.suggestion.lineage.run_id) is not None
    assert kinds(service).count("suggestion") == 1


def test_cli_shows_lists_and_retries_a_failed_crisis(
    service: CrisisService, pack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    breaks(service)
    with pytest.raises(CrisisCellError):
        service.open(LEAK, crisis_id=CID)
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
    runner = CliRunner()
    shown = runner.invoke(app, ["crisis", "show", CID])
    assert shown.exit_code == 0, shown.output
    assert f"crisis {CID} [failed] not waiting" in shown.stdout
    assert f"FAILED: crisis {CID} failed during open: RuntimeError: archive" in shown.stdout
    listed = runner.invoke(app, ["crisis", "list"])
    assert f"{CID}  failed" in listed.stdout
    approve = runner.invoke(app, ["crisis", "approve", CID])
    assert approve.exit_code == 2 and "retry it" in approve.stderr
    retried = runner.invoke(app, ["crisis", "retry", CID])
    assert retried.exit_code == 0, retried.output
    assert f"crisis {CID} [open] waiting for a decision" in retried.stdout


def test_of_two_retries_at_once_one_reopens(service: CrisisService) -> None:
    breaks(service)
    with pytest.raises(CrisisCellError):
        service.open(LEAK, crisis_id=CID)
    assert service.log.reopen_failed(CID) is True  # compare-and-set on the status
    assert service.log.reopen_failed(CID) is False
    assert service.require(CID).status == "open"


def test_an_unknown_site_is_refused_before_a_crisis_exists(service: CrisisService) -> None:
    nowhere = LEAK.model_copy(update={"site": "SITE-NOWHERE"})
    with pytest.raises(InputError, match="unknown site 'SITE-NOWHERE'"):
        service.open(nowhere, crisis_id=CID)
    assert service.log.get(CID) is None  # no half-open crisis left behind


def test_a_close_whose_archiving_fails_is_retried_to_closed(service: CrisisService) -> None:
    service.open(LEAK, crisis_id=CID)
    service.approve(CID, 1, author="bob")
    breaks(service)
    with pytest.raises(CrisisCellError, match="failed during close"):
        service.close(CID, resolution="leak stopped", outcome="no injury", author="carol")
    assert service.require(CID).status == "failed"
    breaks(service, False)
    retried = service.retry(CID)
    assert retried.crisis.status == "closed" and not retried.waiting
    archived = [i for i in IncidentRepository(service.engine).all() if CID in i.id]
    assert len(archived) == 1 and retried.crisis.incident_id == archived[0].id
    assert kinds(service).count("close") == 1
