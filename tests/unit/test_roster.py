"""The operator roster, password hashing, identity mapping and the ``roster`` CLI."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.auth.binding import is_loopback, remote_client
from agent.auth.errors import AuthError, Forbidden, RosterError
from agent.auth.identity import from_claims, local_identity, refreshed, sign_in
from agent.auth.passwords import hash_password, verify_password
from agent.auth.roster import Operator, Roster, load_roster, roster_path, save_roster
from agent.auth.session import expired, idle_timeout_s
from agent.cli import app
from agent.cli_ui import bind_refusal

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def roster(hashed: str) -> Roster:
    return Roster(
        operators=[
            Operator(
                name="alice",
                role="operator",
                clearance="restricted:ops",
                password_hash=hashed,
                email="Alice@Example.org",
            ),
            Operator(name="olga", role="observer", password_hash=hashed, subject="sub-42"),
            Operator(name="pat", role="operator"),
        ]
    )


def test_a_password_verifies_against_its_hash_only(hashed: str) -> None:
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert verify_password(hashed, PASSWORD)
    assert not verify_password(hashed, PASSWORD + "!")
    assert not verify_password(None, PASSWORD)
    assert not verify_password("not-a-hash", PASSWORD)


def test_a_short_password_is_refused() -> None:
    with pytest.raises(AuthError, match="at least 8"):
        hash_password("short")


@pytest.mark.parametrize(
    ("name", "password", "role"),
    [
        ("alice", PASSWORD, "operator"),
        ("ALICE ", PASSWORD, "operator"),
        ("olga", PASSWORD, "observer"),
    ],
)
def test_sign_in_takes_role_and_clearance_from_the_roster(
    roster: Roster, name: str, password: str, role: str
) -> None:
    assert sign_in(roster, name, password).role == role


@pytest.mark.parametrize(
    ("name", "password"),
    [("alice", "wrong-password"), ("nobody", PASSWORD), ("pat", PASSWORD), ("", "")],
)
def test_sign_in_refuses_without_saying_which_part_was_wrong(
    roster: Roster, name: str, password: str
) -> None:
    with pytest.raises(AuthError, match=r"^unknown name or wrong password$"):
        sign_in(roster, name, password)


@pytest.mark.parametrize(
    ("claims", "name"),
    [
        ({"email": "alice@example.org", "sub": "x"}, "alice"),
        ({"email": "someone@example.org", "sub": "sub-42"}, "olga"),
    ],
)
def test_provider_claims_map_through_the_roster(
    roster: Roster, claims: dict[str, object], name: str
) -> None:
    identity = from_claims(roster, claims)
    assert (identity.name, identity.source) == (name, "oidc")


def test_provider_claims_outside_the_roster_are_refused(roster: Roster) -> None:
    with pytest.raises(AuthError, match="not in the roster"):
        from_claims(roster, {"email": "eve@example.org", "sub": "sub-9"})
    with pytest.raises(AuthError):
        from_claims(None, {"email": "alice@example.org"})


def test_refresh_rereads_the_roster(roster: Roster) -> None:
    alice = sign_in(roster, "alice", PASSWORD)
    lowered = roster.upsert(Operator(name="alice", role="observer", clearance="public"))
    assert refreshed(lowered, alice) == alice.__class__("alice", "observer", "public", "roster")
    assert refreshed(Roster(), alice) is None


def test_roles_allow_what_they_name() -> None:
    observer = local_identity("me", "internal").__class__("o", "observer", "internal", "roster")
    assert observer.can("read") and not observer.can("decide") and not observer.can("edit_sops")
    with pytest.raises(Forbidden, match="may not decide"):
        observer.require("decide")
    assert local_identity("me", "internal").can("edit_sops")


def test_the_roster_forbids_unknown_keys_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text("operators:\n  - name: a\n    role: operator\n    clearence: secret\n")
    with pytest.raises(RosterError, match=r"roster.yaml: operators.0.clearence"):
        load_roster(path)
    path.write_text("operators:\n  - name: a\n    clearance: topsecret\n")
    with pytest.raises(RosterError, match=r"operators\.0\.clearance"):
        load_roster(path)
    assert load_roster(tmp_path / "absent.yaml") is None


def test_the_roster_is_saved_for_its_owner_only(tmp_path: Path, roster: Roster) -> None:
    path = tmp_path / "sub" / "roster.yaml"
    save_roster(roster, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_roster(path) == roster


def test_the_roster_path_defaults_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRISISCELL_ROSTER", raising=False)
    assert roster_path(tmp_path) == tmp_path / "roster.yaml"
    monkeypatch.setenv("CRISISCELL_ROSTER", str(tmp_path / "elsewhere.yaml"))
    assert roster_path(tmp_path) == tmp_path / "elsewhere.yaml"


def test_sessions_expire_after_the_idle_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRISISCELL_SESSION_IDLE_MINUTES", raising=False)
    assert idle_timeout_s() == 8 * 3600
    monkeypatch.setenv("CRISISCELL_SESSION_IDLE_MINUTES", "15")
    assert idle_timeout_s() == 900
    assert not expired(1000.0, 1000.0 + 900, 900)
    assert expired(1000.0, 1000.0 + 901, 900)
    assert expired(None, 0.0, 900)


def test_cli_adds_then_updates_an_operator_with_a_hashed_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "roster.yaml"
    monkeypatch.setenv("CRISISCELL_ROSTER", str(path))
    runner = CliRunner()
    args = ["roster", "add", "alice", "--role", "operator", "--clearance", "restricted"]
    result = runner.invoke(app, [*args, "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in path.read_text("utf-8")
    loaded = load_roster(path)
    assert loaded is not None
    assert sign_in(loaded, "alice", PASSWORD).clearance == "restricted"
    result = runner.invoke(app, ["roster", "add", "alice", "--role", "observer"], input="n\n")
    assert result.exit_code == 0, result.output
    updated = load_roster(path)
    assert updated is not None
    assert sign_in(updated, "alice", PASSWORD).role == "observer", "password kept"
    listed = runner.invoke(app, ["roster", "list"])
    assert "alice\tobserver\tinternal\tpassword" in listed.output
    assert "argon2" not in listed.output


def test_cli_refuses_a_bad_role_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISCELL_ROSTER", str(tmp_path / "roster.yaml"))
    result = CliRunner().invoke(app, ["roster", "add", "bob", "--role", "chief", "--no-password"])
    assert result.exit_code == RosterError.exit_code
    assert "role" in result.output
    assert not (tmp_path / "roster.yaml").exists()


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("crisis-room.local", False),
    ],
)
def test_loopback_addresses(address: str, loopback: bool) -> None:
    assert is_loopback(address) is loopback
    assert remote_client(address) is not loopback


def test_single_user_mode_refuses_to_bind_beyond_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, roster: Roster
) -> None:
    path = tmp_path / "roster.yaml"
    monkeypatch.setenv("CRISISCELL_ROSTER", str(path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert bind_refusal("127.0.0.1") is None
    refusal = bind_refusal("0.0.0.0")
    assert refusal is not None and "crisiscell roster add" in refusal
    save_roster(roster, path)
    assert bind_refusal("0.0.0.0") is None


def test_cli_ui_refuses_a_network_address_without_sign_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISCELL_ROSTER", str(tmp_path / "roster.yaml"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["ui", "--address", "0.0.0.0", "--headless"])
    assert result.exit_code == 2
    assert "refusing to serve the console on 0.0.0.0 without sign-in" in result.output
