"""Named suites: a directory of case YAMLs, or an importer reading ../shared/data at run time.

``crisiscell eval run NAME`` accepts a registered name (``archive``,
``cloud-postmortems``, ``safenet``, ``crisislex``) or a path to a directory of
case files. Real-data suites raise :class:`SuiteUnavailable` when their data is
absent, so callers can skip them cleanly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.domain import Incident
from agent.errors import ConfigError
from agent.evaluation.case import EvalCase, load_cases
from agent.settings import PROJECT_ROOT

EVALS_DIR = PROJECT_ROOT / "evals"


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


Loader = Callable[[Path], Suite]


def _archive(_data: Path) -> Suite:
    return directory_suite(EVALS_DIR / "archive", "archive")


def _cloud(data: Path) -> Suite:
    from agent.evaluation.importers.cloud import load_suite

    return load_suite(data)


def _safenet(data: Path) -> Suite:
    from agent.evaluation.importers.safenet import load_suite

    return load_suite(data)


def _crisislex(data: Path) -> Suite:
    from agent.evaluation.importers.crisislex import load_suite

    return load_suite(data)


SUITES: dict[str, Loader] = {
    "archive": _archive,
    "cloud-postmortems": _cloud,
    "safenet": _safenet,
    "crisislex": _crisislex,
}
"""Registered suite names -> loaders (given the shared data directory)."""
REAL_DATA_SUITES: Sequence[str] = ("cloud-postmortems", "safenet", "crisislex")


def load_suite(name_or_path: str, data_dir: Path | None = None) -> Suite:
    """A registered suite by name, or a directory of cases by path.

    Raises:
        SuiteUnavailable: a real-data suite whose data folder is absent.
        ConfigError: unknown name, or invalid cases.
    """
    loader = SUITES.get(name_or_path)
    if loader is not None:
        return loader(data_dir or shared_data_dir())
    path = Path(name_or_path)
    if path.is_dir():
        return directory_suite(path)
    known = ", ".join(SUITES)
    raise ConfigError(f"unknown suite {name_or_path!r}: use one of {known}, or a directory")
