"""A suite: cases to replay, plus the incidents it adds to the archive during its replay.

The base the suite registry (:mod:`evals.suites`) and the real-data importers
(:mod:`evals.importers`) both build on, so neither imports the other back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from agent.domain import Incident
from agent.errors import ConfigError
from agent.settings import PROJECT_ROOT
from evals.case import EvalCase, load_cases


class SuiteUnavailable(ConfigError):
    """The suite's data is not on this machine (e.g. ../shared/data is absent)."""


@dataclass(frozen=True)
class Suite:
    """Cases to replay, plus incidents the suite adds to the archive during its replay."""

    name: str
    cases: list[EvalCase]
    source: str
    extra_incidents: list[Incident] = field(default_factory=list)
    sampled_from: int | None = None

    def sample(self, n: int | None) -> Suite:
        """A fixed, deterministic subset of ``n`` cases (by a hash of the case name)."""
        if n is None or n >= len(self.cases):
            return self
        picked = sorted(self.cases, key=lambda c: hashlib.sha256(c.name.encode()).hexdigest())
        chosen = {c.name for c in picked[:n]}
        return Suite(
            self.name,
            [c for c in self.cases if c.name in chosen],
            self.source,
            self.extra_incidents,
            sampled_from=len(self.cases),
        )


def shared_data_dir(repo_root: Path = PROJECT_ROOT) -> Path:
    """``../shared/data`` next to the repository: real data, read at run time, never shipped."""
    return Path(repo_root).parent / "shared" / "data"


def directory_suite(path: Path, name: str | None = None) -> Suite:
    """A suite from a directory of case YAMLs.

    Raises:
        ConfigError: the directory is missing, empty or holds an invalid case.
    """
    if not path.is_dir():
        raise ConfigError(f"no suite directory at {path}")
    cases = load_cases(path)
    if not cases:
        raise ConfigError(f"{path}: no *.yaml case")
    return Suite(name or path.name, cases, str(path))
