"""Who is signed in, and what their role lets them do.

An :class:`Identity` is always built from the roster (or, with no roster, from the
OS user in single-user mode): role and clearance are never taken from the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from agent.auth.errors import AuthError, Forbidden
from agent.auth.passwords import verify_password
from agent.auth.roster import Operator, Role, Roster

Source = Literal["roster", "oidc", "local"]
Action = Literal["read", "decide", "note", "edit_sops", "export"]
PERMISSIONS: dict[Role, frozenset[Action]] = {
    "observer": frozenset({"read", "export"}),
    "operator": frozenset({"read", "export", "decide", "note"}),
    "sop_author": frozenset({"read", "export", "edit_sops"}),
    "admin": frozenset({"read", "export", "decide", "note", "edit_sops"}),
}
"""What each role may do; an observer reads (and exports what it may read), nothing else."""
BAD_CREDENTIALS = "unknown name or wrong password"


@dataclass(frozen=True)
class Identity:
    """The signed-in operator: name (the log's author), role, clearance, how they signed in."""

    name: str
    role: Role
    clearance: str
    source: Source

    def can(self, action: Action) -> bool:
        """Whether the role allows ``action``."""
        return action in PERMISSIONS[self.role]

    def require(self, action: Action) -> None:
        """Raise :class:`Forbidden` unless the role allows ``action``."""
        if not self.can(action):
            raise Forbidden(f"{self.name} ({self.role}) may not {action.replace('_', ' ')}")


def _identity(entry: Operator, source: Source) -> Identity:
    return Identity(name=entry.name, role=entry.role, clearance=entry.clearance, source=source)


def sign_in(roster: Roster, name: str, password: str) -> Identity:
    """The identity of a roster operator whose password matches.

    Raises:
        AuthError: unknown name or wrong password (the message does not say which).
    """
    entry = roster.find(name) if name.strip() else None
    if not verify_password(entry.password_hash if entry else None, password) or entry is None:
        raise AuthError(BAD_CREDENTIALS)
    return _identity(entry, "roster")


def from_claims(roster: Roster | None, claims: Mapping[str, object]) -> Identity:
    """Map an identity provider's claims (``st.user``) to a roster entry, by subject then email.

    Raises:
        AuthError: no roster, or nobody in it has this subject or email.
    """
    subject, email = str(claims.get("sub") or ""), str(claims.get("email") or "").casefold()
    for entry in roster.operators if roster else []:
        if subject and entry.subject == subject:
            return _identity(entry, "oidc")
    for entry in roster.operators if roster else []:
        if email and (entry.email or "").casefold() == email:
            return _identity(entry, "oidc")
    who = email or subject or "this account"
    raise AuthError(f"{who} is signed in with the identity provider but not in the roster")


def refreshed(roster: Roster | None, identity: Identity) -> Identity | None:
    """The identity with role and clearance re-read from the roster; ``None`` if removed.

    Called on every rerun, so a roster change (a clearance lowered, an operator removed)
    takes effect at once, and nothing kept in the session can raise a clearance.
    """
    if identity.source == "local":
        return identity
    entry = roster.find(identity.name) if roster else None
    return _identity(entry, identity.source) if entry else None


def local_identity(os_user: str, clearance: str) -> Identity:
    """Single-user mode (no roster, no provider): the OS user, with every role."""
    return Identity(name=os_user, role="admin", clearance=clearance, source="local")
