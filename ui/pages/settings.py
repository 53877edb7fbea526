"""Settings and status: who is signed in (read-only), the model, the stores."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import make_url

from agent import __version__
from agent.errors import CrisisCellError
from ui import backend
from ui.deep_link import through_frame
from ui.state import StateKeys

through_frame()

st.title("Settings & status")
flash = st.session_state.pop(StateKeys.FLASH, None)
if flash:
    st.success(flash[1])

s = backend.settings()

st.subheader("Operator")
st.caption(
    "Recorded as the author of every decision, note, SOP edit and export, and used for "
    "need-to-know: what your clearance may not see is hidden from suggestions, history "
    "and exports. Role and clearance come from the roster (or the identity provider "
    "mapped through it): ask an administrator to change them."
)
who = backend.identity()
with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Signed in as", who.name)
    c2.metric("Role", who.role)
    c3.metric("Clearance", who.clearance)
    c4.metric(
        "Sign-in", {"local": "single-user", "roster": "roster", "oidc": "provider"}[who.source]
    )
    if who.source == "local":
        st.info(
            "Single-user local mode: no roster and no identity provider are configured, so "
            "the console serves this machine only, as the OS user. Add operators with "
            "`crisiscell roster add` to require sign-in (see docs/security.md).",
            icon=":material/person:",
        )

st.subheader("Model")
with st.container(border=True):
    offline = s.llm.strip() in ("", "offline")
    c1, c2 = st.columns([1, 2])
    c1.metric("Active backend", s.llm)
    c2.markdown(
        "**Offline**: deterministic rules only; no network, always answers."
        if offline
        else f"**{s.llm}** at `{s.openai_base_url or 'the provider default URL'}`; timeout "
        f"{s.llm_timeout_s:.0f} s per call, {s.deadline_s:.0f} s per suggestion, then the "
        "offline backend takes over (degraded mode)."
    )
    c2.caption(
        "Change it with `CRISISCELL_LLM=provider:model` (or `crisiscell.toml`) and "
        "restart the console."
    )
    if offline:
        st.success("The offline backend always answers.", icon=":material/check_circle:")
    elif st.button(
        "Check that the model answers", key=StateKeys.LLM_CHECK, icon=":material/network_check:"
    ):
        with st.spinner(f"Asking {s.llm}…"):
            ok, message = backend.probe_llm()
        (st.success if ok else st.error)(message)

st.subheader("Stores and pack")
try:
    pack = backend.pack()
    archive = backend.archive_count()
    crises = len(backend.crises())
except CrisisCellError as exc:
    st.error(str(exc))
    st.stop()
url = make_url(s.db_url).render_as_string(hide_password=True)
c1, c2, c3, c4 = st.columns(4)
c1.metric("SOPs", len(pack.sops))
c2.metric("Archived incidents", archive)
c3.metric("Crises", crises)
c4.metric("Version", __version__)
st.dataframe(
    {
        "Setting": ["Home", "Database", "SOP pack", "Pack hash", "History", "Default clearance"],
        "Value": [
            str(s.home),
            url,
            str(s.sops_dir),
            pack.pack_hash[:16],
            str(s.history_dir),
            s.clearance,
        ],
    },
    hide_index=True,
    width="stretch",
)
