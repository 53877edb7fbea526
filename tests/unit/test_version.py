"""The version lineage records is the one the package is published under."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import agent

ROOT = Path(__file__).resolve().parents[2]


def test_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert agent.__version__ == project["version"]


def test_version_matches_installed_metadata() -> None:
    assert agent.__version__ == version("crisiscell")
