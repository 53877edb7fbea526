"""Failed sign-ins, rate-limited: 5 failures for a name within 15 minutes lock it for 15.

Read from the audit log (``sign_in_failed``, ``sign_in``), so a lock holds across
console processes and restarts. A locked name is refused before its password is
checked, and those refusals do not extend the lock. Unknown names lock the same way,
so the lock does not tell which names exist.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
FAILED, SIGNED_IN, LOCKED = "sign_in_failed", "sign_in", "sign_in_locked"
"""Audit events: a wrong name or password, a success, a lock starting (with ``until``)."""
UNLOCKED = "sign_in_unlocked"
"""Audit event: an administrator lifted the lock on a name (``who`` is the name)."""


@dataclass(frozen=True)
class Throttle:
    """The limits: ``failures`` within ``window`` lock a name for ``lockout``."""

    failures: int = MAX_FAILURES
    window: timedelta = WINDOW
    lockout: timedelta = LOCKOUT

    def locked_until(self, events: Iterable[Mapping[str, str]], name: str) -> datetime | None:
        """When the lock on ``name`` ends (``None``: never locked), from the audit events."""
        wanted, failures, until = key(name), list[datetime](), None
        for event in events:
            if key(event.get("who", "")) != wanted or event.get("mode") != "roster":
                continue
            at = datetime.fromisoformat(event["at"])
            if event.get("event") in (SIGNED_IN, UNLOCKED):
                failures, until = [], None
            elif event.get("event") == FAILED and not (until and at < until):
                failures = [f for f in failures if at - f < self.window] + [at]
                if len(failures) >= self.failures:
                    until, failures = at + self.lockout, []
        return until

    def locked(self, events: Iterable[Mapping[str, str]], name: str, now: datetime) -> bool:
        """Whether ``name`` is locked out at ``now``."""
        until = self.locked_until(events, name)
        return until is not None and now < until


def key(name: str) -> str:
    """How names are compared: as the roster finds them (case-insensitive, trimmed, capped)."""
    return name.strip()[:80].casefold() or "?"


def lock_message(until: datetime, now: datetime) -> str:
    """What the sign-in page says to a locked name (the same for unknown names)."""
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (f"Too many failed sign-ins for this name: locked for {minutes} more minute"
            f"{'s' if minutes > 1 else ''} (until {until.astimezone():%H:%M}). Try again then, "
            "or ask an administrator to lift the lock.")
