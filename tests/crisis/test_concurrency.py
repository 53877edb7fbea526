"""Twenty crises driven in parallel against one SQLite file: nothing lost, nothing locked."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agent.crisis.service import CrisisService
from agent.domain import Event
from agent.rules.need_to_know import Clearance
from agent.settings import Settings

CRISES = 20


def drive(service: CrisisService, n: int) -> str:
    cid = f"CR-PAR-{n:02d}"
    service.open(
        Event(text=f"Ammonia leak number {n} near compressor {n}, vapour cloud", site="SITE-01"),
        author=f"op{n}",
        crisis_id=cid,
    )
    service.update(cid, text="wind turning north", author=f"op{n}")
    service.note(cid, f"note from op{n}", author=f"op{n}")
    service.approve(cid, 1, author=f"op{n}")
    return cid


def test_twenty_crises_in_parallel(pack_dir: Path, tmp_path: Path) -> None:
    settings = Settings(sops_dir=pack_dir, home=tmp_path)
    with CrisisService(settings) as service:
        service.deps.retriever_for(Clearance("internal"))  # build the index once, up front
        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(lambda n: drive(service, n), range(CRISES)))
        assert len(set(ids)) == CRISES
        for cid in ids:
            kinds = [e.kind for e in service.log.entries(cid)]
            assert kinds == ["event", "suggestion", "decision", "suggestion", "note", "decision"]
            assert service.current(cid).approval is not None
        assert len(service.log.crises()) == CRISES
