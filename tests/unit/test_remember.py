"""A roster sign-in kept across reloads: the signed session token, its tickets, its routes."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from agent.auth import audit
from agent.auth.identity import Identity
from agent.auth.passwords import hash_password
from agent.auth.remember import (
    COOKIE,
    KEY_FILE,
    SIGNED_OUT,
    Tickets,
    issue,
    revoke,
    session_secret,
    verify,
)
from agent.auth.roster import Operator, Roster
from ui import session_routes

DAY = 86_400.0
HASHES = {"old": hash_password("password-one"), "new": hash_password("password-two")}


def _roster(password: str = "old", clearance: str = "internal") -> Roster:
    return Roster(operators=[Operator(name="alice", role="operator", clearance=clearance,
                                      password_hash=HASHES[password])])


def _alice() -> Identity:
    return Identity(name="alice", role="operator", clearance="internal", source="roster")


def test_a_token_stands_for_its_operator_as_the_roster_says_now(tmp_path: Path) -> None:
    token = issue(tmp_path, _roster(), _alice())
    session = verify(tmp_path, _roster(clearance="restricted"), token, max_age_s=DAY)
    assert session is not None
    assert session.identity == Identity("alice", "operator", "restricted", "roster")


def test_a_token_signed_with_another_home_s_secret_is_refused(tmp_path: Path) -> None:
    token = issue(tmp_path / "a", _roster(), _alice())
    assert verify(tmp_path / "b", _roster(), token, max_age_s=DAY) is None
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert verify(tmp_path / "a", _roster(), tampered, max_age_s=DAY) is None
    assert verify(tmp_path / "a", _roster(), "not a token", max_age_s=DAY) is None


def test_a_token_expires_with_the_session_lifetime(tmp_path: Path) -> None:
    token = issue(tmp_path, _roster(), _alice())
    time.sleep(1.1)
    assert verify(tmp_path, _roster(), token, max_age_s=0) is None


def test_a_password_change_or_removal_ends_the_sessions_it_signed(tmp_path: Path) -> None:
    token = issue(tmp_path, _roster("old"), _alice())
    assert verify(tmp_path, _roster("new"), token, max_age_s=DAY) is None
    assert verify(tmp_path, Roster(operators=[]), token, max_age_s=DAY) is None
    assert verify(tmp_path, None, token, max_age_s=DAY) is None


def test_a_signed_out_session_is_refused_on_every_browser(tmp_path: Path) -> None:
    roster = _roster()
    token, other = issue(tmp_path, roster, _alice()), issue(tmp_path, roster, _alice())
    revoke(tmp_path, token, "alice")
    assert verify(tmp_path, roster, token, max_age_s=DAY) is None
    assert verify(tmp_path, roster, other, max_age_s=DAY) is not None, "only that session"
    assert [e["event"] for e in audit.events(tmp_path)] == [SIGNED_OUT]


def test_the_secret_is_private_and_stable(tmp_path: Path) -> None:
    first = session_secret(tmp_path)
    assert session_secret(tmp_path) == first and len(first) == 32
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


def test_a_ticket_is_traded_once_and_only_while_fresh() -> None:
    tickets = Tickets(ttl_s=60)
    ticket = tickets.mint("tok", now=100.0)
    assert tickets.redeem("someone-else's", now=100.0) is None
    assert tickets.redeem(ticket, now=130.0) == "tok"
    assert tickets.redeem(ticket, now=130.0) is None, "single use"
    late = tickets.mint("tok2", now=200.0)
    assert tickets.redeem(late, now=261.0) is None, "too old"


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=session_routes.ROUTES), base_url="http://127.0.0.1")


def test_the_route_sets_an_http_only_strict_cookie_for_a_ticket(client: TestClient) -> None:
    ticket = session_routes.TICKETS.mint("signed-token")
    answer = client.post("/auth/remember", content=ticket)
    assert answer.status_code == 204
    header = answer.headers["set-cookie"]
    assert header.startswith(f"{COOKIE}=signed-token")
    assert "HttpOnly" in header and "SameSite=strict" in header and "Secure" not in header
    assert client.post("/auth/remember", content=ticket).status_code == 400, "spent"
    assert client.post("/auth/remember", content="").status_code == 400


def test_the_cookie_is_secure_behind_an_https_proxy(client: TestClient) -> None:
    ticket = session_routes.TICKETS.mint("signed-token")
    answer = client.post("/auth/remember", content=ticket,
                         headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in answer.headers["set-cookie"]


def test_forget_clears_the_cookie(client: TestClient) -> None:
    answer = client.post("/auth/forget")
    assert answer.status_code == 204
    assert answer.headers["set-cookie"].startswith(f'{COOKIE}=""')
    assert client.get("/auth/remember").status_code == 405
