"""Crisis log (main courante, ICS-214): the append-only log, exports, notes and corrections."""

from __future__ import annotations

import json

import streamlit as st

from agent.briefing import render_briefing
from agent.crisis.exports import ics201, ics201_markdown, ics214, ics214_markdown
from agent.errors import CrisisCellError
from ui import backend, views
from ui.deep_link import through_frame
from ui.state import StateKeys

through_frame()

st.title("Crisis log")
st.caption(
    "Append-only: nothing is ever edited or deleted. A correction is a new entry "
    "that points at the one it corrects."
)

flash = st.session_state.pop(StateKeys.FLASH, None)
if flash:
    st.success(flash[1])

crisis_id = st.session_state.get(StateKeys.CRISIS_ID)
if not crisis_id:
    st.info(
        "Pick a crisis in the sidebar (**Active crisis**), or open one on the Live crisis page.",
        icon=":material/arrow_back:",
    )
    st.stop()

try:
    current = backend.current(crisis_id)
    entries = backend.entries(crisis_id)
except CrisisCellError as exc:
    st.error(str(exc))
    st.stop()
crisis = current.crisis

st.subheader(f"{crisis.id} · {crisis.title}")
st.caption(
    f"Opened {crisis.opened_at.astimezone():%d/%m/%Y %H:%M} by {crisis.opened_by} · "
    f"status {crisis.status} · clearance {crisis.clearance} · {len(entries)} entries"
)

decisions = [e for e in entries if e.kind in ("decision", "close")]
if decisions:
    last = decisions[-1]
    st.info(
        f"**Latest decision**: {last.summary} — by {last.author} at "
        f"{last.at.astimezone():%d/%m %H:%M:%S}"
        + (f" · {last.rationale}" if last.rationale else ""),
        icon=":material/gavel:",
    )
else:
    st.info("No decision yet: the crisis waits for the operator.", icon=":material/gavel:")

kinds = sorted({e.kind for e in entries})
authors = sorted({e.author for e in entries})
f1, f2 = st.columns(2)
picked_kinds = f1.multiselect("Kind", kinds, key=StateKeys.LOG_KINDS, placeholder="all kinds")
picked_authors = f2.multiselect(
    "Author", authors, key=StateKeys.LOG_AUTHORS, placeholder="all authors"
)
shown = [
    e
    for e in entries
    if (not picked_kinds or e.kind in picked_kinds)
    and (not picked_authors or e.author in picked_authors)
]
st.dataframe(
    views.log_frame(shown),
    hide_index=True,
    width="stretch",
    column_config={
        "#": st.column_config.NumberColumn(width="small"),
        "Time": st.column_config.DatetimeColumn(format="DD/MM HH:mm:ss"),
        "Entry": st.column_config.TextColumn(width="large"),
        "Corrects": st.column_config.NumberColumn(help="The entry this one corrects"),
    },
)

st.subheader("Exports")
form214 = ics214(crisis, entries)
cols = st.columns(4)
cols[0].download_button(
    "ICS-214 log (Markdown)",
    ics214_markdown(form214),
    file_name=f"{crisis.id}-ics214.md",
    mime="text/markdown",
    icon=":material/download:",
    on_click=backend.audit,
    args=("export",),
    kwargs={"crisis": crisis.id, "file": f"{crisis.id}-ics214.md"},
)
cols[1].download_button(
    "ICS-214 log (JSON)",
    json.dumps(form214, indent=2),
    file_name=f"{crisis.id}-ics214.json",
    mime="application/json",
    icon=":material/download:",
    on_click=backend.audit,
    args=("export",),
    kwargs={"crisis": crisis.id, "file": f"{crisis.id}-ics214.json"},
)
if current.suggestion is not None:
    form201 = ics201(crisis, current.suggestion, current.approval, backend.pack())
    cols[2].download_button(
        "ICS-201 briefing (Markdown)",
        ics201_markdown(form201),
        file_name=f"{crisis.id}-ics201.md",
        mime="text/markdown",
        icon=":material/download:",
        on_click=backend.audit,
        args=("export",),
        kwargs={"crisis": crisis.id, "file": f"{crisis.id}-ics201.md"},
    )
    cols[3].download_button(
        "ICS-201 briefing (JSON)",
        json.dumps(form201, indent=2),
        file_name=f"{crisis.id}-ics201.json",
        mime="application/json",
        icon=":material/download:",
        on_click=backend.audit,
        args=("export",),
        kwargs={"crisis": crisis.id, "file": f"{crisis.id}-ics201.json"},
    )
    with st.expander("Read the ICS-201 briefing here"):
        st.code(render_briefing(current.suggestion), language=None)
else:
    cols[2].caption("No suggestion yet: no ICS-201 briefing.")

if not backend.can("note"):
    st.caption(f"Notes and corrections are for operators (you are {backend.identity().role}).")
    st.stop()

st.subheader("Add a note or a correction")
# The form's widget keys carry a generation number that moves on after each write: the
# box is empty again, and a second click on the same submission (a double click) names
# widgets that no longer exist, so it writes nothing. A refused note keeps its text.
generation = int(st.session_state.get(StateKeys.NOTE_GENERATION, 0))
with st.form(f"{StateKeys.NOTE_FORM}{generation}"):
    text = st.text_area(
        "Note",
        key=f"{StateKeys.NOTE_TEXT}{generation}",
        height=80,
        placeholder="e.g. Prefect's office called back at 08:40",
    )
    ids = [e.id for e in entries]
    summaries = {e.id: f"#{e.id} · {e.kind} · {views.short(e.summary, 70)}" for e in entries}
    corrects = st.selectbox(
        "Corrects entry (optional)",
        [None, *ids],
        format_func=lambda i: "— a new note, not a correction —" if i is None else summaries[i],
        key=f"{StateKeys.NOTE_CORRECTS}{generation}",
    )
    submitted = st.form_submit_button(
        "Add to the log", key=f"{StateKeys.ADD_NOTE}{generation}", type="primary",
        icon=":material/add_notes:",
    )
if submitted and generation not in st.session_state.setdefault(StateKeys.NOTES_WRITTEN, set()):
    try:
        with backend.acting("note") as svc:
            entry = svc.note(crisis_id, text or "", author=backend.operator(), corrects=corrects)
    except CrisisCellError as exc:
        st.error(str(exc))
    else:
        st.session_state[StateKeys.NOTES_WRITTEN].add(generation)
        st.session_state[StateKeys.NOTE_GENERATION] = generation + 1
        st.session_state[StateKeys.FLASH] = ("success", f"Entry #{entry.id} added ({entry.kind}).")
        st.rerun()
