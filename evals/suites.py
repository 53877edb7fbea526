"""Named suites: a directory of case YAMLs, or an importer reading ../shared/data at run time.

``crisiscell eval run NAME`` accepts a registered name (``archive``,
``cloud-postmortems``, ``safenet``, ``crisislex``) or a path to a directory of
case files. Real-data suites raise :class:`SuiteUnavailable` when their data is
absent, so callers can skip them cleanly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from agent.errors import ConfigError
from evals import EVALS_DIR
from evals.importers import cloud, crisislex, safenet
from evals.suite import Suite, SuiteUnavailable, directory_suite, shared_data_dir

__all__ = [
    "EVALS_DIR",
    "REAL_DATA_SUITES",
    "SUITES",
    "Loader",
    "Suite",
    "SuiteUnavailable",
    "directory_suite",
    "load_suite",
    "shared_data_dir",
]

Loader = Callable[[Path], Suite]


def _archive(_data: Path) -> Suite:
    return directory_suite(EVALS_DIR / "archive", "archive")


SUITES: dict[str, Loader] = {
    "archive": _archive,
    "cloud-postmortems": cloud.load_suite,
    "safenet": safenet.load_suite,
    "crisislex": crisislex.load_suite,
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
