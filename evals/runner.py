"""Run a suite: one Suggester, every case replayed ``repeat`` times on ``concurrency`` threads.

The Suggester works over the shipped pack and archive plus the suite's own incidents.

The compiled graph is reusable across threads (nodes are pure functions of the
state and of dependencies loaded once by :meth:`Suggester.warm_up`).
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from agent import __version__
from agent.context import Deps
from agent.llm.factory import make_llm
from agent.service import Suggester
from agent.settings import PROJECT_ROOT, Settings
from evals.case import EvalCase
from evals.evaluators import EvalContext
from evals.matching import MATCH_THRESHOLD
from evals.replay import replay
from evals.results import CaseResult, score_case
from evals.suite import Suite

Progress = Callable[[CaseResult], None]


@dataclass(frozen=True)
class RunConfig:
    """How a run was made: stored with it, so it can be reproduced."""

    suite: str
    llm: str = "offline"
    repeat: int = 1
    concurrency: int = 1
    sample: int | None = None
    match_threshold: float = MATCH_THRESHOLD
    top_k: int = 5
    precedent_threshold: float = 0.35


@dataclass
class Run:
    """A finished run: identity, configuration, versions and per-case results."""

    run_id: str
    config: RunConfig
    created_at: datetime
    model: str
    code_version: str
    git_commit: str
    source: str
    results: list[CaseResult]
    sampled_from: int | None = None
    duration_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def header(self) -> dict[str, Any]:
        """The run's identity and configuration, JSON-ready."""
        return {
            "run_id": self.run_id,
            "suite": self.config.suite,
            "created_at": self.created_at.isoformat(),
            "model": self.model,
            "code_version": self.code_version,
            "git_commit": self.git_commit,
            "source": self.source,
            "config": asdict(self.config),
            "sampled_from": self.sampled_from,
            "duration_s": round(self.duration_s, 3),
        }


def new_run_id(suite: str) -> str:
    """``<suite>-<UTC timestamp>-<8 hex>``: sortable and unique."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{suite}-{stamp}-{uuid.uuid4().hex[:8]}"


def git_commit() -> str:
    """The current commit (``+dirty`` when the tree has changes), or ``unknown``."""
    try:
        head = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+dirty" if dirty else head


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5, check=True
    )
    return done.stdout.strip()


def make_suggester(settings: Settings, suite: Suite) -> Suggester:
    """A warmed-up Suggester over the shipped pack and archive plus the suite's incidents."""
    from agent.pack.loader import load_pack
    from agent.store.archive import read_history_dir

    archive = [*read_history_dir(settings.history_dir), *suite.extra_incidents]
    deps = Deps(
        llm=make_llm(settings),
        settings=settings,
        pack_override=load_pack(settings.sops_dir),
        incidents_override=archive,
    )
    suggester = Suggester(deps=deps)
    suggester.warm_up()
    return suggester


def evaluate_case(
    case: EvalCase, suggester: Suggester, repeat: int = 0, threshold: float = MATCH_THRESHOLD
) -> CaseResult:
    """Replay one case and score it."""
    return score_case(EvalContext(case, replay(case, suggester), threshold), repeat)


def run_cases(
    suite: Suite,
    suggester: Suggester,
    config: RunConfig,
    progress: Progress | None = None,
) -> list[CaseResult]:
    """Every case of the suite, ``config.repeat`` times, in a stable order."""
    jobs = [(r, case) for r in range(config.repeat) for case in suite.cases]

    def work(job: tuple[int, EvalCase]) -> CaseResult:
        result = evaluate_case(job[1], suggester, job[0], config.match_threshold)
        if progress is not None:
            progress(result)
        return result

    if config.concurrency <= 1:
        return [work(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=config.concurrency) as pool:
        return list(pool.map(work, jobs))


def run_suite(
    suite: Suite,
    config: RunConfig,
    settings: Settings | None = None,
    progress: Progress | None = None,
    suggester: Suggester | None = None,
) -> Run:
    """Replay a whole suite and return the run (not yet stored or written)."""
    settings = settings or Settings(llm=config.llm)
    suggester = suggester or make_suggester(settings, suite)
    start = datetime.now(UTC)
    results = run_cases(suite, suggester, config, progress)
    return Run(
        run_id=new_run_id(suite.name),
        config=config,
        created_at=start,
        model=suggester.deps.llm.name,
        code_version=__version__,
        git_commit=git_commit(),
        source=suite.source,
        results=results,
        sampled_from=suite.sampled_from,
        duration_s=(datetime.now(UTC) - start).total_seconds(),
    )
