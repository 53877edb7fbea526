"""A pipeline run shown node by node: a live status box, then the last run folded away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from agent.crisis.service import CrisisResult, CrisisService
from agent.crisis.streaming import NodeProgress
from agent.errors import CrisisCellError
from agent.graph import RUN_STEPS
from ui import backend
from ui.live.badges import origin_md
from ui.state import StateKeys

PIPELINE_STEPS = len(RUN_STEPS)
"""Nodes a full run reports (the bar's denominator), from the graph's own list."""


def progress_line(p: NodeProgress) -> str:
    """One finished node: its label, what it found and who decided."""
    detail = f" — {p.detail}" if p.detail else ""
    return f":green[:material/check_circle:] **{p.label}**{detail} {origin_md(p.origin)}"


def _reporter(done: list[NodeProgress], bar: Any) -> Callable[[NodeProgress], None]:
    """Write each finished node under the bar, and move the bar on."""

    def on_node(p: NodeProgress) -> None:
        done.append(p)
        st.markdown(progress_line(p))
        bar.progress(min(p.index / PIPELINE_STEPS, 1.0), text=f"{p.label} ({p.elapsed_s:.1f} s)")

    return on_node


def _complete(status: Any, bar: Any, label: str, done: list[NodeProgress]) -> None:
    bar.progress(1.0, text="Done")
    took = done[-1].elapsed_s if done else 0.0
    status.update(
        label=f"{label}: done in {took:.1f} s, {len(done)} steps",
        state="complete",
        expanded=False,
    )


def run_with_progress(
    label: str, action: Callable[[CrisisService], CrisisResult]
) -> CrisisResult | None:
    """Run a service action inside a live status box, one line per finished graph node."""
    done: list[NodeProgress] = []
    failure: CrisisCellError | None = None
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")
        try:
            result = backend.run_streamed(action, _reporter(done, bar))
        except CrisisCellError as exc:
            failure = exc
            status.update(label=f"{label}: stopped", state="error", expanded=False)
        else:
            _complete(status, bar, label, done)
    if failure is not None:
        st.error(str(failure))
        return None
    st.session_state[StateKeys.PROGRESS] = done
    return result


def last_run() -> None:
    """The last run's nodes, folded: what the current suggestion came from."""
    done: list[NodeProgress] = st.session_state.get(StateKeys.PROGRESS) or []
    if not done:
        return
    with st.status(
        f"Last analysis: {len(done)} steps in {done[-1].elapsed_s:.1f} s",
        state="complete",
        expanded=False,
    ):
        for p in done:
            st.markdown(progress_line(p))
