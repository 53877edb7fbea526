"""Idle expiry of a console session, checked on every rerun."""

from __future__ import annotations

import os

IDLE_ENV = "CRISISCELL_SESSION_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 480.0


def idle_timeout_s() -> float:
    """``CRISISCELL_SESSION_IDLE_MINUTES`` (default 8 h) in seconds; bad values use the default."""
    try:
        minutes = float(os.environ.get(IDLE_ENV, DEFAULT_IDLE_MINUTES))
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return (minutes if minutes > 0 else DEFAULT_IDLE_MINUTES) * 60.0


def expired(last_seen: float | None, now: float, timeout_s: float) -> bool:
    """Whether a session last active at ``last_seen`` has been idle too long at ``now``."""
    return last_seen is None or now - last_seen > timeout_s
