"""The approved plan as a task board on the live page: step, owner, due, done.

A Streamlit fragment with ``run_every`` like the clocks: a wall screen shows a step as
done soon after anyone logs it, from any console or ``crisiscell crisis done``.
Observers see the board; only a role that writes to the log gets the button.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from agent.briefing import fmt_delta
from agent.crisis.tasks import Task
from agent.domain import Approval
from agent.errors import CrisisCellError
from ui import backend, views
from ui.clocks import REFRESH
from ui.state import StateKeys


def status(task: Task, now: datetime) -> str:
    """``done 08:40 by alice``, ``overdue by 12 min``, ``due in 5 min``, ``if triggered``."""
    if task.done is not None:
        return f"done {task.done.at.astimezone():%H:%M} by {task.done.author}"
    if task.due is not None:
        left = task.due - now
        return f"overdue by {views.duration(-left)}" if task.state == "overdue" else (
            f"due in {views.duration(left)}")
    if task.step.conditional or task.step.anchor == "condition":
        return "if triggered"
    if task.step.deadline is None:
        return "no deadline"
    return f"{fmt_delta(task.step.deadline).strip()} after {task.step.anchor.removeprefix('step:')}"


def frame(tasks: list[Task], now: datetime) -> pd.DataFrame:
    """One row per step of the approved plan, in plan order."""
    return pd.DataFrame([
        {"#": t.number, "Step": t.step.action, "Owner": t.step.owner or "?",
         "Due": views.clock(t.due.astimezone()) if t.due else "-", "Status": status(t, now),
         "Done": t.done is not None, "SOP step": views.step_cite(t.step)}
        for t in tasks
    ])


def headline(approval: Approval, tasks: list[Task]) -> str:
    """``Plan A. By the book: 3 of 12 done · 2 overdue``."""
    done = sum(t.done is not None for t in tasks)
    late = sum(t.state == "overdue" for t in tasks)
    tail = f" · :red[**{late} overdue**]" if late else ""
    return (f"**Plan {approval.scenario.id}. {approval.scenario.title}**: {done} of "
            f"{len(tasks)} done{tail}")


def done_key(number: int | None) -> str:
    """The "Mark step done" button of one step: a second click of a double click, which
    reaches the next run after the pick has moved on to the next step, clicks a button
    that is no longer there instead of marking that next step too."""
    return f"{StateKeys.TASK_DONE}-{number}"


def _mark(crisis_id: str, task: Task) -> None:
    """Log the step as done, then redraw the whole page."""
    try:
        marked = backend.mark_done(crisis_id, str(task.number))
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    message = (f"Step {task.number} done, logged as #{marked.entry.id}." if marked.new else
               f"Step {task.number} was already logged as done (#{marked.entry.id}).")
    st.session_state[StateKeys.FLASH] = ("success", message)
    st.rerun()


@st.fragment(run_every=REFRESH)
def board(crisis_id: str, approval: Approval, t0: datetime, can_mark: bool) -> None:
    """The task board; ``can_mark``: the crisis is open and the role writes to its log."""
    now = datetime.now().astimezone()
    tasks = backend.task_board(crisis_id, approval, t0, now)
    with st.container(border=True, key=StateKeys.TASK_BOARD):
        st.markdown("#### Task board :gray-badge[:material/rule: Rules]")
        st.markdown(headline(approval, tasks))
        st.dataframe(frame(tasks, now), hide_index=True, width="stretch",
                     height=views.table_height(len(tasks)),
                     column_config={"#": st.column_config.NumberColumn(width=40),
                                    "Step": st.column_config.TextColumn(width="large"),
                                    "Done": st.column_config.CheckboxColumn(width="small")})
        pending = {t.number: t for t in tasks if t.done is None}
        if not (can_mark and pending):
            return
        with st.container(horizontal=True, vertical_alignment="bottom"):
            pick = st.selectbox(
                "Step done", list(pending), key=StateKeys.TASK_PICK,
                format_func=lambda n: f"{n}. {views.short(pending[n].step.action, 70)}")
            clicked = st.button("Mark step done", key=done_key(pick), icon=":material/done:")
            if clicked and pick in pending:
                _mark(crisis_id, pending[pick])
