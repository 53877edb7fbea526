"""Opening a crisis: the event report, its site and known facts, then a streamed run."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from agent.domain import Event
from agent.errors import CrisisCellError
from agent.event_input import event_from_text
from agent.pack import Pack
from ui import backend
from ui.live.progress import run_with_progress
from ui.state import StateKeys

OWN = "__own__"
"""The example picker's "write your own" choice."""


def _fill_example() -> None:
    name = st.session_state.get(StateKeys.EXAMPLE)
    if not name or name == OWN:
        return
    event = backend.examples()[name]
    st.session_state[StateKeys.EVENT_TEXT] = event.text
    st.session_state[StateKeys.EVENT_SITE] = event.site or ""
    st.session_state[StateKeys.EVENT_FACTS] = backend.facts_yaml(event.facts)


def _site_label(pack: Pack) -> dict[str, str]:
    """``""`` and every site id, as the picker shows them."""
    labels = {"": "unspecified"}
    for x in pack.sites.sites:
        seveso = f" (Seveso {x.seveso})" if x.seveso != "none" else ""
        labels[x.id] = f"{x.id} · {x.name}{seveso}"
    return labels


def _context(pack: Pack, examples: list[str]) -> None:
    """The right column: an example to start from, the site, the known facts, who decides."""
    st.selectbox(
        "Start from a shipped example",
        [OWN, *examples],
        format_func=lambda x: "— write your own —" if x == OWN else x,
        key=StateKeys.EXAMPLE,
        on_change=_fill_example,
    )
    sites = _site_label(pack)
    st.selectbox("Site", list(sites), format_func=sites.__getitem__, key=StateKeys.EVENT_SITE)
    st.text_area(
        "Known facts (optional, YAML)",
        key=StateKeys.EVENT_FACTS,
        height=160,
        placeholder="casualties:\n  hospitalised_onsite: 2\ndetectors:\n  nh3_alarm: true",
        help="Structured facts the severity scale and SOP conditions read "
        "(see sops/facts.yaml). Facts found in the text are read too.",
    )
    st.caption(
        f"T0 is now. Decisions are logged as **{backend.operator()}** "
        f"with clearance **{backend.clearance()}** (see Settings)."
    )


def _report() -> bool:
    """The left column: the event report and the button; whether it was clicked."""
    st.text_area(
        "Event report",
        key=StateKeys.EVENT_TEXT,
        height=250,
        placeholder="e.g. Ammonia leak on the refrigeration unit of building B4, "
        "two operators evacuated to hospital, valve not yet closed…",
    )
    return st.button(
        "Analyse and open the crisis",
        key=StateKeys.OPEN,
        type="primary",
        icon=":material/play_arrow:",
    )


def intake(pack: Pack) -> None:
    """The intake form; a click opens the crisis."""
    st.title("Open a crisis")
    st.markdown(
        "Describe what is happening. crisiscell scores the severity and picks the SOPs by "
        "**rules**, finds similar past incidents, and drafts up to three courses of action "
        "checked against the SOPs. **You decide**; every decision goes to the crisis log."
    )
    left, right = st.columns([3, 2], gap="large")
    with right:
        _context(pack, list(backend.examples()))
    with left:
        clicked = _report()
    if clicked:
        open_crisis()


def _event() -> Event:
    """The event as typed; an unchanged example keeps its UN number and language.

    Raises:
        ValueError, CrisisCellError: the text or the facts are not usable.
    """
    text = st.session_state.get(StateKeys.EVENT_TEXT) or ""
    example = backend.examples().get(st.session_state.get(StateKeys.EXAMPLE) or "")
    facts = backend.parse_facts(st.session_state.get(StateKeys.EVENT_FACTS) or "")
    extra = {}
    if example is not None and example.text == text.strip():
        extra = {"un_number": example.un_number, "language": example.language}
    return event_from_text(
        text,
        "event report",
        site=st.session_state.get(StateKeys.EVENT_SITE) or None,
        facts=facts,
        reported_at=datetime.now().astimezone(),
        **extra,
    )


def open_crisis() -> None:
    """Run the pipeline on the typed event, streamed; then show the new crisis."""
    try:
        event = _event()
    except (ValueError, CrisisCellError) as exc:
        st.error(str(exc))
        return
    who, level = backend.operator(), backend.clearance()
    result = run_with_progress(
        "Analysing the event",
        lambda svc: svc.open(event, author=who, clearance=level),
    )
    if result is None:
        return
    st.session_state[StateKeys.CRISIS_ID] = result.crisis.id
    st.session_state[StateKeys.LAST_DIFF] = []
    st.session_state[StateKeys.FLASH] = (
        "success",
        f"Crisis {result.crisis.id} opened. Review the scenarios and decide.",
    )
    st.rerun()
