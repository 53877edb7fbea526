"""Settings and status: the operator and clearance of this session, the model, the stores."""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import make_url
from streamlit.runtime.pages_manager import PagesManager

from agent import __version__
from agent.errors import CrisisCellError
from agent.rules.need_to_know import MARKING_ORDER, Clearance

if PagesManager.uses_pages_directory:  # run without the frame (deep link to a fresh server):
    PagesManager.uses_pages_directory = False  # ui/pages/ is not a v1 pages folder,
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"))  # the frame
    st.stop()  # routes back to this page and renders it

from ui import backend
from ui.state import StateKeys

st.title("Settings & status")
flash = st.session_state.pop(StateKeys.FLASH, None)
if flash:
    st.success(flash[1])

s = backend.settings()
current = Clearance.parse(backend.clearance())

st.subheader("Operator")
st.caption(
    "Recorded as the author of every decision and note, and used for need-to-know: "
    "what your clearance may not see is hidden from suggestions, history and exports."
)
with st.container(border=True):
    c1, c2, c3 = st.columns([2, 1, 2])
    name = c1.text_input("Name or call sign", value=backend.operator(), key=StateKeys.SET_OPERATOR)
    level = c2.selectbox(
        "Clearance",
        list(MARKING_ORDER),
        index=MARKING_ORDER.index(current.level),
        key=StateKeys.SET_LEVEL,
    )
    compartments = c3.text_input(
        "Compartments (comma-separated)",
        value=",".join(sorted(current.compartments)),
        key=StateKeys.SET_COMPARTMENTS,
        placeholder="e.g. ops,legal",
    )
    if st.button("Apply to this session", key=StateKeys.SET_SAVE, type="primary"):
        try:
            chosen = Clearance.parse(f"{level}:{compartments}" if compartments else str(level))
        except ValueError as exc:
            st.error(str(exc))
        else:
            if not (name or "").strip():
                st.error("The operator name must not be empty.")
            else:
                st.session_state[StateKeys.OPERATOR] = name.strip()
                st.session_state[StateKeys.CLEARANCE] = str(chosen)
                st.session_state[StateKeys.FLASH] = (
                    "success",
                    f"Operator {name.strip()}, clearance {chosen}.",
                )
                st.rerun()

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
    archive = backend.incidents().count()
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
