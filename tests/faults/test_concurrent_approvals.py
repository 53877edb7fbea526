"""Two approvers at once, twenty rounds: exactly one wins each time, the other is told who.

Two operators' services share one store (SQLite file, or PostgreSQL when
``CRISISCELL_TEST_POSTGRES_URL`` is set, as in ``tests/unit/test_store_postgres.py``).
Each round both read the crisis, meet at a barrier just before writing their decision,
and write at once; the crisis is still waiting afterwards, so the next round races on
the state the winner left.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from agent.context import Deps
from agent.crisis.service import CrisisService
from agent.domain import Event
from agent.errors import DecisionConflict
from agent.llm.offline import OfflineLLM
from agent.settings import Settings
from agent.store.db import dispose_engines, make_engine
from tests.graph.conftest import ARCHIVE

ROUNDS = 20
PG_URL = os.environ.get("CRISISCELL_TEST_POSTGRES_URL")
LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")


def fresh_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def services(request: pytest.FixtureRequest, pack: Any, tmp_path: Path) -> Iterator[Any]:
    overrides: dict[str, Any] = {"home": tmp_path / "home"}
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("no PostgreSQL: set CRISISCELL_TEST_POSTGRES_URL to run")
        fresh_postgres(PG_URL)
        overrides["database_url"] = PG_URL
    opened = [
        CrisisService(deps=Deps(llm=OfflineLLM(), settings=Settings(**overrides),
                                pack_override=pack, incidents_override=ARCHIVE))
        for _ in range(2)
    ]
    yield opened
    for service in opened:
        service.close_resources()
    dispose_engines()


def meet_before_deciding(services: list[CrisisService], barrier: threading.Barrier) -> None:
    """Both deciders have read the crisis before either writes (the race made certain)."""
    for service in services:
        write = service.log.decide

        def decide(*args: Any, _write: Any = write, **kwargs: Any) -> Any:
            barrier.wait(timeout=60)
            return _write(*args, **kwargs)

        service.log.decide = decide  # type: ignore[method-assign]


def race(services: list[CrisisService], cid: str, round_: int) -> list[str]:
    """Operator A approves scenario 1 and operator B scenario 2, at the same moment."""

    def approve(n: int) -> str:
        author = f"op{'AB'[n]}{round_}"
        try:
            result = services[n].approve(cid, n + 1, author=author)
        except DecisionConflict as exc:
            return f"conflict: {exc}"
        assert result.approval is not None and result.approval.author == author
        return f"won: {author}"

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(approve, range(2)))


def test_twenty_rounds_of_two_approvers_one_winner_each(services: list[CrisisService]) -> None:
    cid = services[0].open(LEAK, author="alice", crisis_id="CR-RACE").crisis.id
    meet_before_deciding(services, threading.Barrier(2))
    winners: list[str] = []
    for round_ in range(ROUNDS):
        outcomes = race(services, cid, round_)
        won = [o.removeprefix("won: ") for o in outcomes if o.startswith("won: ")]
        lost = [o for o in outcomes if o.startswith("conflict: ")]
        assert len(won) == 1 and len(lost) == 1, (round_, outcomes)
        assert f"{won[0]} at " in lost[0] and "decided first" in lost[0]
        for service in services:  # both see the winner's plan, nothing of the loser's
            approval = service.current(cid).approval
            assert approval is not None and approval.author == won[0]
        winners += won
    decisions = [e.author for e in services[0].log.entries(cid) if e.kind == "decision"]
    assert decisions == winners and len(decisions) == ROUNDS
