"""Typed errors of sign-in and permissions, under :class:`agent.errors.CrisisCellError`."""

from __future__ import annotations

from agent.errors import ConfigError, CrisisCellError


class AuthError(CrisisCellError):
    """Sign-in failed or the signed-in operator may not do this."""

    exit_code = 9


class Forbidden(AuthError):
    """The operator's role does not allow the action; nothing was done."""


class RosterError(ConfigError):
    """The roster file cannot be read or does not validate; names the file and key path."""
