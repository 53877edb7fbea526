"""The console's door: who is signed in, the sign-in page, and idle expiry.

Three modes, picked from the configuration, never from the visitor:

- ``oidc``: ``.streamlit/secrets.toml`` has an ``[auth]`` table; Streamlit's ``st.login``
  signs in with the identity provider, and the roster maps its claims to role and clearance.
- ``roster``: a roster file exists (:func:`agent.auth.roster.roster_path`); name and password.
- ``local``: neither; one person on their own machine, as the OS user, loopback only.
"""

from __future__ import annotations

import getpass
import json
import time
from typing import Literal

import streamlit as st

from agent.auth import audit
from agent.auth.binding import remote_client
from agent.auth.errors import AuthError
from agent.auth.gate import attempt
from agent.auth.identity import Identity, from_claims, local_identity, refreshed
from agent.auth.remember import COOKIE, RESUMED, TICKETS, issue, revoke, verify
from agent.auth.roster import Roster, load_roster, roster_path
from agent.auth.session import expired, idle_timeout_s
from agent.settings import Settings
from ui.state import StateKeys

Mode = Literal["oidc", "roster", "local"]


def roster() -> Roster | None:
    """The roster, re-read on every rerun so edits take effect at once."""
    return load_roster(roster_path(Settings().home))


def oidc_configured() -> bool:
    """Whether Streamlit's secrets have an ``[auth]`` table (OIDC sign-in)."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # a secrets file Streamlit cannot parse: no OIDC (it reports why)
        return False


def mode() -> Mode:
    """How operators sign in here: the provider, else the roster, else single-user local."""
    if oidc_configured():
        return "oidc"
    return "roster" if roster() is not None else "local"


def current() -> Identity | None:
    """The signed-in identity for this rerun, or ``None``: expired, removed, or never signed in.

    Role and clearance are re-read from the roster; an identity kept in the session
    by another mode (or planted there) is not honoured.
    """
    how = mode()
    if how == "local":
        return _local()
    kept = st.session_state.get(StateKeys.IDENTITY)
    if how == "oidc" and kept is None and st.user.is_logged_in:
        kept = _from_provider()
    if how == "roster" and kept is None:
        kept = _from_cookie()
    if not isinstance(kept, Identity) or kept.source != ("oidc" if how == "oidc" else "roster"):
        _drop(None)
        return None
    if expired(st.session_state.get(StateKeys.LAST_SEEN), time.time(), idle_timeout_s()):
        _drop("Your session expired after inactivity: sign in again.")
        return None
    fresh = refreshed(roster(), kept)
    if fresh is None:
        _drop("You are no longer in the roster.")
        return None
    st.session_state[StateKeys.IDENTITY] = fresh
    st.session_state[StateKeys.LAST_SEEN] = time.time()
    return fresh


def _local() -> Identity | None:
    """Single-user mode: the OS user, refused to anyone connecting from another machine."""
    if remote_client(st.context.ip_address):
        return None
    s = Settings()
    return local_identity(s.operator or getpass.getuser(), s.clearance)


def _from_provider() -> Identity | None:
    """The roster identity of the provider's signed-in user (refused ones are logged)."""
    claims = st.user.to_dict()
    try:
        identity = from_claims(roster(), claims)
    except AuthError as exc:
        audit.record(Settings().home, "sign_in_refused", str(claims.get("email", "?")))
        st.session_state[StateKeys.AUTH_MESSAGE] = str(exc)
        return None
    audit.record(Settings().home, "sign_in", identity.name, mode="oidc")
    st.session_state[StateKeys.LAST_SEEN] = time.time()
    return identity


def _from_cookie() -> Identity | None:
    """The identity of this browser's session cookie (a reload), if it is still good."""
    token = st.context.cookies.get(COOKIE)
    if not token:
        return None
    home = Settings().home
    session = verify(home, roster(), token, max_age_s=idle_timeout_s())
    if session is None:
        return None
    audit.record(home, RESUMED, session.identity.name, mode="roster", sid=session.sid)
    st.session_state[StateKeys.SESSION_TOKEN] = token
    st.session_state[StateKeys.LAST_SEEN] = time.time()
    return session.identity


def _drop(message: str | None) -> None:
    """Forget the session's identity (and revoke its cookie), with a message for sign-in."""
    identity = st.session_state.pop(StateKeys.IDENTITY, None)
    token = st.session_state.pop(StateKeys.SESSION_TOKEN, None)
    if token:  # an expired session must not come back through its cookie on reload
        revoke(Settings().home, token, identity.name if isinstance(identity, Identity) else "?")
        st.session_state[StateKeys.FORGET_COOKIE] = True
    if identity is not None and message:
        st.session_state[StateKeys.AUTH_MESSAGE] = message
        if mode() == "oidc" and st.user.is_logged_in:
            st.logout()
    st.session_state.pop(StateKeys.LAST_SEEN, None)


def try_sign_in(name: str, password: str) -> Identity | None:
    """Check a name and password against the roster; failures are logged and rate-limited."""
    try:
        identity = attempt(Settings().home, roster() or Roster(), name, password)
    except AuthError as exc:  # logged by attempt(), and rate-limited per name
        st.session_state[StateKeys.AUTH_MESSAGE] = str(exc)
        return None
    st.session_state[StateKeys.IDENTITY] = identity
    st.session_state[StateKeys.LAST_SEEN] = time.time()
    _remember(identity)
    return identity


def _remember(identity: Identity) -> None:
    """Ask the page to keep this sign-in across reloads (see :func:`hand_over`)."""
    token = issue(Settings().home, roster() or Roster(), identity)
    st.session_state[StateKeys.SESSION_TOKEN] = token
    st.session_state[StateKeys.REMEMBER_TICKET] = TICKETS.mint(token)


def hand_over() -> None:
    """Trade a fresh sign-in's ticket for the session cookie, or clear a signed-out one.

    The page posts to the console's own route (:mod:`ui.session_routes`), which sets or
    clears the ``HttpOnly`` cookie; the script never holds the token.
    """
    ticket = st.session_state.pop(StateKeys.REMEMBER_TICKET, None)
    if ticket:
        _post("/auth/remember", ticket)
    elif st.session_state.pop(StateKeys.FORGET_COOKIE, False):
        _post("/auth/forget", "")


def _post(path: str, body: str) -> None:
    script = (
        f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(body)}}});</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def sign_out() -> None:
    """End the session for good (its cookie too), and the provider's in OIDC mode."""
    identity = st.session_state.pop(StateKeys.IDENTITY, None)
    token = st.session_state.pop(StateKeys.SESSION_TOKEN, None)
    if token and isinstance(identity, Identity):
        revoke(Settings().home, token, identity.name)
        st.session_state[StateKeys.FORGET_COOKIE] = True
    st.session_state.pop(StateKeys.LAST_SEEN, None)
    if mode() == "oidc" and st.user.is_logged_in:
        st.logout()
