"""Shared fixtures: a small SOP, the shipped pack, a fake LLM; no network anywhere."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.pack.models import SeverityScale, Sop

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that opens a connection outside loopback."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("/"):
            raise RuntimeError(f"test tried to reach the network: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own store under a temporary CRISISCELL_HOME."""
    monkeypatch.setenv("CRISISCELL_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CRISISCELL_DATABASE_URL", raising=False)
    monkeypatch.delenv("CRISISCELL_LLM", raising=False)


@pytest.fixture(scope="session")
def tox_sop() -> Sop:
    return Sop.model_validate(yaml.safe_load((FIXTURES / "sop_tox.yaml").read_text()))


@pytest.fixture(scope="session")
def scale() -> SeverityScale:
    return SeverityScale.model_validate(
        yaml.safe_load((ROOT / "sops" / "severity.yaml").read_text())
    )


GENERIC_SOP = """\
id: SOP-GEN-ALL-000
version: 1.0.0
status: approved
title: Generic all-hazards response
owner: crisis_manager
valid_from: 2025-01-01
applies_to: {categories: ["*"]}
roles:
  IC: {ics: incident_commander}
  liaison: {ics: liaison_officer}
steps:
  - {id: S01, phase: command, action: Appoint an incident commander and open the log,
     action_type: alert, owner: IC, deadline: PT10M, mandatory: true}
  - {id: S02, phase: assess, action: Size up the situation and list the unknowns,
     action_type: assess, owner: IC, deadline: PT30M, mandatory: true, depends_on: [S01]}
notifications:
  - {to: management, within: PT30M, mandatory: true}
"""


@pytest.fixture(scope="session")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stable pack for graph tests: shipped registries, the DOMAIN example SOP, a generic SOP."""
    root = tmp_path_factory.mktemp("pack")
    for name in ("taxonomy.yaml", "severity.yaml", "facts.yaml", "sites.yaml"):
        (root / name).write_bytes((ROOT / "sops" / name).read_bytes())
    (root / "SOP-IND-TOX-001.yaml").write_bytes((FIXTURES / "sop_tox.yaml").read_bytes())
    (root / "SOP-GEN-ALL-000.yaml").write_text(GENERIC_SOP)
    return root


@pytest.fixture(scope="session")
def pack(pack_dir: Path) -> Any:
    from agent.pack.loader import load_pack

    return load_pack(pack_dir)


@pytest.fixture(scope="session")
def shipped_pack() -> Any:
    """The pack shipped in sops/, as operators run it."""
    from agent.pack.loader import load_pack

    return load_pack(ROOT / "sops")
