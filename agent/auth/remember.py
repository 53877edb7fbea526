"""A roster sign-in that survives a reload: a signed, expiring, revocable session cookie.

The console verifies the password (rate-limited, audited) inside Streamlit, which
cannot set a cookie. So it mints a one-time *ticket* (random, 60 s, single use) for a
signed session token; the page posts the ticket to the console's own route
(``POST /auth/remember``, :mod:`ui.session_routes`), which answers with the token as
an ``HttpOnly; SameSite=Strict`` cookie. Page scripts never see the token; a copy of
the page (a screenshot, a saved HTML file) holds at most a spent ticket.

A token names the operator and a session id, is signed with a secret kept beside the
database (``<home>/session.key``, mode 0600), and is refused when it is older than the
session lifetime, when the session was signed out (audited ``signed_out`` with its id),
when the operator left the roster, or when their password changed since.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from agent.auth import audit
from agent.auth.identity import Identity, refreshed
from agent.auth.roster import Roster

COOKIE = "crisiscell_session"
KEY_FILE = "session.key"
TICKET_TTL_S = 60.0
SIGNED_OUT = "signed_out"
RESUMED = "session_resumed"
_SALT = "crisiscell.console.session"


def session_secret(home: Path) -> bytes:
    """The signing secret of this home, created once (0600) and read ever after."""
    path = home / KEY_FILE
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_bytes(32))
    return path.read_bytes()


def _serializer(home: Path) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(session_secret(home), salt=_SALT)


def password_fingerprint(password_hash: str | None) -> str:
    """A short digest of the stored hash: a password change ends the sessions it signed."""
    return hashlib.sha256((password_hash or "").encode("utf-8")).hexdigest()[:16]


def issue(home: Path, roster: Roster, identity: Identity) -> str:
    """A signed session token for ``identity``, just signed in with the roster."""
    entry = roster.find(identity.name)
    if entry is None:
        raise ValueError(f"{identity.name} is not in the roster")
    payload = {
        "sid": secrets.token_urlsafe(12),
        "name": entry.name,
        "pw": password_fingerprint(entry.password_hash),
    }
    return _serializer(home).dumps(payload)


@dataclass(frozen=True)
class Session:
    """A verified token: who, and the session id a sign-out revokes."""

    sid: str
    identity: Identity


def verify(home: Path, roster: Roster | None, token: str, *, max_age_s: float) -> Session | None:
    """The session ``token`` stands for, or ``None`` (forged, expired, revoked, stale)."""
    try:
        payload = _serializer(home).loads(token, max_age=int(max_age_s))
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("sid"), str):
        return None
    entry = roster.find(str(payload.get("name", ""))) if roster else None
    if entry is None or not hmac.compare_digest(
        password_fingerprint(entry.password_hash), str(payload.get("pw", ""))
    ):
        return None
    if payload["sid"] in _revoked(home):
        return None
    kept = Identity(name=entry.name, role=entry.role, clearance=entry.clearance, source="roster")
    identity = refreshed(roster, kept)
    return Session(payload["sid"], identity) if identity else None


def _revoked(home: Path) -> set[str]:
    return {e.get("sid", "") for e in audit.events(home) if e.get("event") == SIGNED_OUT}


def sid_of(home: Path, token: str) -> str | None:
    """The session id inside a token with a valid signature, whatever its age."""
    try:
        payload = _serializer(home).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    sid = payload.get("sid") if isinstance(payload, dict) else None
    return sid if isinstance(sid, str) else None


def revoke(home: Path, token: str, who: str) -> None:
    """Sign a session out for good: its cookie is refused from now on, on every browser."""
    sid = sid_of(home, token)
    if sid is not None:
        audit.record(home, SIGNED_OUT, who, sid=sid)


@dataclass
class Tickets:
    """One-time, short-lived tickets for tokens, kept in this process's memory only."""

    ttl_s: float = TICKET_TTL_S
    _items: dict[str, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def mint(self, token: str, *, now: float | None = None) -> str:
        """A ticket the page can trade once, within ``ttl_s``, for ``token``."""
        ticket, at = secrets.token_urlsafe(24), time.monotonic() if now is None else now
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if at - v[1] <= self.ttl_s}
            self._items[ticket] = (token, at)
        return ticket

    def redeem(self, ticket: str, *, now: float | None = None) -> str | None:
        """The token for ``ticket``, once; ``None`` when unknown, spent or too old."""
        at = time.monotonic() if now is None else now
        with self._lock:
            item = self._items.pop(ticket, None)
        if item is None or at - item[1] > self.ttl_s:
            return None
        return item[0]


TICKETS = Tickets()
"""The console process's tickets: the sign-in page mints, the route redeems."""
