"""SOP library: browse SOPs by family, read one as a timeline, edit YAML with lint at each line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from agent.errors import InputError
from agent.pack.lint import Finding
from agent.pack.models import Sop
from agent.rules.conditions import describe
from ui import backend, views
from ui.deep_link import through_frame
from ui.state import StateKeys

through_frame()

DRAFT = "DRAFT.yaml"

st.title("SOP library")
flash = st.session_state.pop(StateKeys.FLASH, None)
if flash:
    st.success(flash[1])

pack = backend.pack()
shown = backend.visible_sops()
families = {f.code: f.label for f in pack.taxonomy.families}
present = sorted({views.sop_family(s) for s in shown})
family = st.segmented_control(
    "Family",
    ["ALL", *present],
    default="ALL",
    key=StateKeys.SOP_FAMILY,
    format_func=lambda f: (
        "All" if f == "ALL" else (f"{f} · {families[f]}" if f in families else f"{f} · all-hazards")
    ),
)
sops = [s for s in shown if family in (None, "ALL") or views.sop_family(s) == family]
hidden_steps = backend.hidden_sop_steps()
if len(shown) < len(pack.sops) or any(hidden_steps.values()):
    st.caption(
        ":material/visibility_off: Need-to-know: SOPs and steps above your clearance "
        f"({backend.clearance()}) are hidden."
    )
today = date.today()
stale = [s.id for s in shown if s.review_by is not None and s.review_by < today]
if stale:
    st.warning(
        f"**{len(stale)} SOP{'s are' if len(stale) > 1 else ' is'} past the review date** "
        f"({', '.join(stale)}): flagged, not shown as approved, until reviewed.",
        icon=":material/event_busy:",
    )
st.dataframe(
    views.sops_frame(sops, today),
    hide_index=True,
    width="stretch",
    column_config={"Title": st.column_config.TextColumn(width="large")},
)
if not sops:
    st.stop()


def _load_into_editor() -> None:
    """Load the raw file: only for SOP authors who may see every step of it."""
    picked = st.session_state.get(StateKeys.SOP_PICK)
    editable = (isinstance(picked, str) and backend.can("edit_sops")
                and not hidden_steps.get(picked))
    path = backend.sop_file(picked) if editable and isinstance(picked, str) else None
    if path is not None:
        st.session_state[StateKeys.SOP_YAML] = path.read_text("utf-8")
        st.session_state.pop(StateKeys.SOP_LINT, None)


by_id = {s.id: s for s in sops}
picked = st.selectbox(
    "Read an SOP",
    list(by_id),
    key=StateKeys.SOP_PICK,
    format_func=lambda i: f"{i} · {by_id[i].title}",
    on_change=_load_into_editor,
)
sop: Sop = by_id[picked] if picked in by_id else sops[0]
if StateKeys.SOP_YAML not in st.session_state:
    _load_into_editor()

with st.container(border=True):
    st.subheader(sop.title)
    with st.container(horizontal=True, gap="small"):
        st.badge(f"v{sop.version}", color="blue")
        status, colour = views.sop_status(sop, today)
        st.badge(status, color=colour)
        st.badge(f"marking: {sop.marking}", color="gray")
    st.caption(
        f"{sop.id} · owner {sop.owner}"
        + (f" · approved by {sop.approved_by}" if sop.approved_by else "")
        + f" · valid from {sop.valid_from}"
        + (f" · review by {sop.review_by}" if sop.review_by else "")
    )
    st.markdown(
        f"**Applies to** {', '.join(sop.applies_to.categories)} · severities "
        f"{', '.join(sop.applies_to.severities)}"
        + (f" · sites {', '.join(sop.applies_to.sites)}" if sop.applies_to.sites else "")
        + (f"\n\n**Triggers when** {describe(sop.triggers)}" if sop.triggers else "")
    )

    steps_tab, notes_tab, forbidden_tab, esc_tab = st.tabs(
        [
            f"Steps ({len(sop.steps)})",
            f"Notifications ({len(sop.notifications)})",
            f"Forbidden actions ({len(sop.forbidden_actions)})",
            f"Escalation ({len(sop.escalation)})",
        ]
    )
    with steps_tab:
        timeline = views.sop_timeline_frame(sop)
        if not timeline.empty:
            st.altair_chart(views.timeline_chart(timeline), width="stretch")
        st.dataframe(
            views.sop_steps_frame(sop),
            hide_index=True,
            width="stretch",
            column_config={
                "Action": st.column_config.TextColumn(width="large"),
                "Mandatory": st.column_config.CheckboxColumn(),
            },
        )
    with notes_tab:
        if sop.notifications:
            st.dataframe(views.sop_notifications_frame(sop), hide_index=True, width="stretch")
        else:
            st.info("This SOP requires no notification.")
    with forbidden_tab:
        if sop.forbidden_actions:
            for f in sop.forbidden_actions:
                st.error(
                    f"**Never**: {f.text}" + (f"  \n_{f.basis}_" if f.basis else ""),
                    icon=":material/block:",
                )
        else:
            st.info("No forbidden action listed.")
    with esc_tab:
        if sop.escalation:
            for e in sop.escalation:
                then = []
                if e.set_severity_min:
                    then.append(f"severity at least {e.set_severity_min}")
                if e.notify:
                    then.append("notify " + ", ".join(e.notify))
                if e.activate:
                    then.append("activate " + ", ".join(e.activate))
                if e.flag:
                    then.append(f"flag {e.flag}")
                st.markdown(f"- **If** {describe(e.if_)} **then** {'; '.join(then)}")
        else:
            st.info("No escalation rule.")

if not backend.can("edit_sops"):
    st.caption(f"Editing SOPs is for SOP authors (you are {backend.identity().role}).")
    st.stop()
if hidden_steps.get(sop.id):
    st.warning(
        f"{sop.id} has steps above your clearance: its file cannot be loaded into the editor.",
        icon=":material/visibility_off:",
    )

st.subheader("Edit or paste YAML")
st.caption(
    "Check the YAML first: it is linted next to copies of the pack's taxonomy, severity "
    "scale, sites, facts and other SOPs. Nothing is written until it is clean and you "
    "press Save."
)
text = st.text_area("SOP YAML", key=StateKeys.SOP_YAML, height=400)
target: Path | None
try:
    target = backend.target_file(text or "")
    target_error = None
except ValueError as exc:
    target, target_error = None, str(exc)

b1, b2, b3 = st.columns([1, 1, 3])
b1.button(
    "Reload from the pack",
    key=StateKeys.SOP_LOAD,
    on_click=_load_into_editor,
    icon=":material/restart_alt:",
)
if b2.button(
    "Check (lint)", key=StateKeys.SOP_LINT_BTN, type="primary", icon=":material/fact_check:"
):
    findings = backend.lint_sop_text(text or "", target.name if target else DRAFT)
    st.session_state[StateKeys.SOP_LINT] = (backend.text_hash(text or ""), findings)

lint: tuple[str, list[Finding]] | None = st.session_state.get(StateKeys.SOP_LINT)
problems = lint[1] if lint is not None and lint[0] == backend.text_hash(text or "") else None
fresh = problems is not None
clean = problems == [] and target is not None
if lint is not None and problems is None:
    st.info("The YAML changed since the last check: check it again before saving.")
elif problems:
    lines = (text or "").splitlines()
    frame = views.findings_frame(problems)
    frame["Text"] = [lines[n - 1].strip() if 0 < n <= len(lines) else "" for n in frame["Line"]]
    st.error(f"**{len(problems)} problem(s)**: fix them, then check again.")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"Problem": st.column_config.TextColumn(width="large")},
    )
elif fresh:
    st.success("Lint-clean." + (f" Save writes {target.name} in the pack." if target else ""))
if target_error:
    st.caption(target_error)

if (
    b3.button(
        "Save into the pack", key=StateKeys.SOP_SAVE, disabled=not clean, icon=":material/save:"
    )
    and clean
    and target is not None
):
    try:
        backend.save_sop_text(text or "", target)
    except InputError as exc:  # an approved SOP changed in place: refused, nothing written
        st.error(str(exc))
    else:
        st.session_state.pop(StateKeys.SOP_LINT, None)
        st.session_state[StateKeys.FLASH] = ("success", f"Saved {target}. The pack is reloaded.")
        st.rerun()
