"""A crisis whose last run failed: why, and a retry from its last checkpoint (operators)."""

from __future__ import annotations

import streamlit as st

from agent.crisis.service import CrisisResult
from ui import backend
from ui.live.decide import rerun_decision
from ui.state import StateKeys


def failed_banner(result: CrisisResult) -> None:
    """Nothing for a crisis that runs; for a failed one, the reason and the way out."""
    crisis = result.crisis
    if crisis.status != "failed":
        return
    log = backend.entries(crisis.id)
    why = next((e.summary for e in reversed(log) if e.kind == "failed"), "no reason logged")
    st.error(
        f"**The last run failed**: {why}. Decisions wait until it is retried from its last "
        "checkpoint, or the crisis is closed.",
        icon=":material/error:",
    )
    if backend.can("decide") and st.button(
        "Retry the failed run", key=StateKeys.RETRY, icon=":material/replay:"
    ):
        rerun_decision(
            "Retrying the failed run",
            lambda svc: svc.retry(crisis.id, author=backend.operator()),
            "Retried: the crisis runs again.",
            "Retried: the run finished with the same suggestion as before.",
        )
