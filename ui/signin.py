"""The sign-in page: the only page a visitor who is not signed in can reach."""

from __future__ import annotations

import streamlit as st

from ui import auth
from ui.state import StateKeys


def page() -> None:
    """Render the sign-in for the configured mode."""
    st.title("crisiscell console: sign in")
    message = st.session_state.pop(StateKeys.AUTH_MESSAGE, None)
    if message:
        st.error(message)
    how = auth.mode()
    if how == "oidc":
        _provider()
    elif how == "roster":
        _roster_form()
    else:
        st.error(
            "Single-user local mode serves this machine only: this connection comes from "
            "another one. Ask the administrator for a roster account (docs/security.md).",
            icon=":material/lock:",
        )


def _provider() -> None:
    st.caption("Sign in with your organisation's identity provider.")
    if st.user.is_logged_in:
        st.button("Sign out of the provider", key=StateKeys.SIGN_OUT, on_click=st.logout)
    else:
        st.button("Sign in", key=StateKeys.OIDC_LOGIN, type="primary", on_click=st.login)


def _roster_form() -> None:
    st.caption("Operators are listed in the site's roster (`crisiscell roster add`).")
    with st.form(key=StateKeys.SIGNIN_FORM, clear_on_submit=True):
        name = st.text_input("Name", key=StateKeys.SIGNIN_NAME)
        password = st.text_input("Password", type="password", key=StateKeys.SIGNIN_PASSWORD)
        if st.form_submit_button("Sign in", type="primary"):
            auth.try_sign_in(name, password)  # a failure is logged and shown after the rerun
            st.rerun()
