"""Two approvers in two separate processes, ten rounds: exactly one wins each round.

The threads of ``test_concurrent_approvals.py`` share one interpreter; here each operator
is its own process (``spawn``: a fresh interpreter, its own engine, checkpointer and
connections), as two operators on two machines are. Each round both read the crisis,
meet at a cross-process barrier just before writing their decision (the service's own
seam, ``service.log.decide``), then write at once. SQLite file, and PostgreSQL when
``CRISISCELL_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from agent.context import Deps
from agent.crisis.service import CrisisService
from agent.errors import DecisionConflict
from agent.llm.offline import OfflineLLM
from agent.settings import Settings
from agent.store.db import dispose_engines
from tests.faults.test_concurrent_approvals import LEAK, PG_URL, fresh_postgres
from tests.graph.conftest import ARCHIVE

ROUNDS = 10
CID = "CR-PROC-RACE"
Outcome = tuple[int, int, str, str]
"""(round, approver, "won" | "conflict" | "sees" | "error", author or message)."""


def service_for(store: dict[str, Any], pack_dir: str) -> CrisisService:
    from agent.pack.loader import load_pack

    return CrisisService(deps=Deps(llm=OfflineLLM(), settings=Settings(**store),
                                   pack_override=load_pack(Path(pack_dir)),
                                   incidents_override=ARCHIVE))


def approver(
    which: int, store: dict[str, Any], pack_dir: str, barriers: tuple[Barrier, Barrier],
    out: Any,
) -> None:
    """One operator's process: approve scenario ``which + 1`` once per round."""
    before_write, round_done = barriers
    try:
        with service_for(store, pack_dir) as service:
            write = service.log.decide

            def decide(*args: Any, **kwargs: Any) -> Any:
                before_write.wait(60)
                return write(*args, **kwargs)

            service.log.decide = decide  # type: ignore[method-assign]
            for round_ in range(ROUNDS):
                out.put(one_round(service, which, round_))
                round_done.wait(60)
                approval = service.current(CID).approval
                out.put((round_, which, "sees", approval.author if approval else "nobody"))
    except Exception as exc:  # reported to the test, and the other process let go
        out.put((-1, which, "error", repr(exc)))
        before_write.abort()
        round_done.abort()


def one_round(service: CrisisService, which: int, round_: int) -> Outcome:
    author = f"op{'AB'[which]}{round_}"
    try:
        result = service.approve(CID, which + 1, author=author)
    except DecisionConflict as exc:
        return round_, which, "conflict", str(exc)
    assert result.approval is not None and result.approval.author == author
    return round_, which, "won", author


def race(store: dict[str, Any], pack_dir: Path) -> list[Outcome]:
    """Both processes, all rounds; every outcome they reported."""
    ctx = multiprocessing.get_context("spawn")
    barriers = (ctx.Barrier(2), ctx.Barrier(2))
    out = ctx.Queue()
    procs = [ctx.Process(target=approver, args=(n, store, str(pack_dir), barriers, out))
             for n in range(2)]
    for proc in procs:
        proc.start()
    outcomes: list[Outcome] = []
    try:
        while len(outcomes) < 4 * ROUNDS and not any(o[2] == "error" for o in outcomes):
            outcomes.append(out.get(timeout=180))
    except queue.Empty:
        pass
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0, (proc.exitcode, outcomes)
    return outcomes


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    overrides: dict[str, Any] = {"home": str(tmp_path / "home")}
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("no PostgreSQL: set CRISISCELL_TEST_POSTGRES_URL to run")
        fresh_postgres(PG_URL)
        overrides["database_url"] = PG_URL
    yield overrides
    dispose_engines()


def test_ten_rounds_of_two_approver_processes(
    store: dict[str, Any], pack_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    with service_for(store, str(pack_dir)) as opener:
        opener.open(LEAK, author="alice", crisis_id=CID)
    dispose_engines()  # nothing of this process's connections is shared with the approvers
    outcomes = race(store, pack_dir)
    assert not [o for o in outcomes if o[2] == "error"], outcomes
    winners: list[str] = []
    for round_ in range(ROUNDS):
        this = [o for o in outcomes if o[0] == round_]
        won = [o[3] for o in this if o[2] == "won"]
        lost = [o[3] for o in this if o[2] == "conflict"]
        assert len(won) == 1 and len(lost) == 1, (round_, this)
        assert f"{won[0]} at " in lost[0] and "decided first" in lost[0]
        assert [o[3] for o in this if o[2] == "sees"] == won * 2  # both see the winner's plan
        winners += won
    with service_for(store, str(pack_dir)) as reader:
        decisions = [e.author for e in reader.log.entries(CID) if e.kind == "decision"]
    assert decisions == winners
    record_property("winners_by_process", [w[2] for w in winners].count("A"))
