"""The roster sign-in as the console runs it: rate-limited, and every attempt audited.

:func:`agent.auth.identity.sign_in` checks a password; this adds the door around it:
a locked name is refused without checking its password, a failure is logged (never
the password), and the failure that reaches the limit logs the lock with its end.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from agent.auth import audit
from agent.auth.errors import AuthError
from agent.auth.identity import Identity, sign_in
from agent.auth.roster import Roster
from agent.auth.throttle import (
    FAILED,
    LOCKED,
    SIGNED_IN,
    UNLOCKED,
    Throttle,
    key,
    lock_message,
)
from agent.domain import utcnow

REFUSED_LOCKED = "sign_in_refused_locked"
"""Audit event: an attempt on a locked name (its password was not checked)."""


class Locked(AuthError):
    """Too many failed sign-ins for this name: refused until the lock ends."""


def attempt(
    home: Path, roster: Roster, name: str, password: str, *,
    throttle: Throttle | None = None, now: datetime | None = None,
) -> Identity:
    """Sign ``name`` in against the roster, unless the name is locked out.

    Raises:
        Locked: the name is locked (the message says until when).
        AuthError: unknown name or wrong password (the message does not say which).
    """
    limits, at, who = throttle or Throttle(), now or utcnow(), name.strip()[:80] or "?"
    history = audit.events(home)
    until = limits.locked_until(history, name)
    if until is not None and at < until:
        audit.record_at(home, at, REFUSED_LOCKED, who, mode="roster")
        raise Locked(lock_message(until, at))
    try:
        identity = sign_in(roster, name, password)
    except AuthError:
        audit.record_at(home, at, FAILED, who, mode="roster")
        failed = {"at": at.isoformat(), "event": FAILED, "who": key(name), "mode": "roster"}
        until = limits.locked_until([*history, failed], name)
        if until is not None and at < until:
            audit.record_at(home, at, LOCKED, who, mode="roster", until=until.isoformat())
            raise Locked(lock_message(until, at)) from None
        raise
    audit.record_at(home, at, SIGNED_IN, identity.name, mode="roster")
    return identity


def unlock(home: Path, name: str, *, by: str, now: datetime | None = None) -> None:
    """Lift the lock on ``name`` (and forget its failures): an administrator's act, audited."""
    audit.record_at(home, now or utcnow(), UNLOCKED, name.strip()[:80] or "?", mode="roster",
                    by=by)
