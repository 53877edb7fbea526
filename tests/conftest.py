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
    return SeverityScale.model_validate(yaml.safe_load((ROOT / "sops" / "severity.yaml").read_text()))
