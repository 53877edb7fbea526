"""Password hashing with argon2id (argon2-cffi's defaults), so the roster holds no secret."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from agent.auth.errors import AuthError

MIN_LENGTH = 8
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("crisiscell-no-such-operator")
"""Verified against when the name is unknown, so timing does not tell names apart."""


def hash_password(password: str) -> str:
    """The argon2id hash of a new password.

    Raises:
        AuthError: the password is shorter than :data:`MIN_LENGTH`.
    """
    if len(password) < MIN_LENGTH:
        raise AuthError(f"the password must have at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; an absent or broken hash never matches."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
