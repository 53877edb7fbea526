"""The approved plan as a task board: each step with its owner, when it is due, who did it.

A step is done only when an operator says so: a ``task_done`` entry in the append-only
crisis log, written once (compare-and-set, as notifications are) with who and when.
Due times follow the SOPs' own clocks: a step's deadline counts from its anchor, T0
for most, the completion of another step for ``step:<id>``; a step that waits for a
condition has no due time until it is triggered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from agent.crisis.notices import Marked, append_once, first_by, span
from agent.domain import Approval, ScenarioStep, utcnow
from agent.errors import InputError
from agent.store.crisis_log import LogEntry, LogKind

if TYPE_CHECKING:
    from agent.crisis.service import CrisisService

TASK_DONE: LogKind = "task_done"
"""The crisis-log kind that records a step of the approved plan as done."""
TaskState = Literal["overdue", "due", "waiting", "done"]


@dataclass(frozen=True)
class Task:
    """One step of the approved plan on the board."""

    number: int
    """1-based position in the approved plan (what ``crisis done`` takes)."""
    key: str
    """``SOP-IND-TOX-001/S03`` (or ``step-4`` for a step that cites no SOP step)."""
    step: ScenarioStep
    due: datetime | None
    state: TaskState
    done: LogEntry | None = None


def step_key(step: ScenarioStep, number: int) -> str:
    """The step's identity in the log: its SOP step, so a re-approved plan keeps its marks."""
    if step.sop_id and step.step_id:
        return f"{step.sop_id}/{step.step_id}"
    return f"step-{number}"


def done_by_step(entries: Iterable[LogEntry]) -> dict[str, LogEntry]:
    """The first ``task_done`` entry of each step key."""
    return first_by(entries, TASK_DONE, "step")


def board(
    approval: Approval, t0: datetime, entries: Iterable[LogEntry], now: datetime
) -> list[Task]:
    """Every step of the approved plan, in plan order, against the clock."""
    done = done_by_step(entries)
    steps = list(enumerate(approval.scenario.steps, 1))
    finished = {s.step_id: done[step_key(s, n)].at for n, s in steps
                if s.step_id and step_key(s, n) in done}
    tasks = []
    for n, step in steps:
        key = step_key(step, n)
        due = _due(step, t0, finished)
        tasks.append(Task(n, key, step, due, _state(done.get(key), due, now), done.get(key)))
    return tasks


def _due(step: ScenarioStep, t0: datetime, finished: dict[str, datetime]) -> datetime | None:
    """T0 + deadline; after another step: its completion + deadline; else not yet known."""
    if step.deadline is None or step.conditional:
        return None
    if step.anchor == "T0":
        return t0 + step.deadline
    start = finished.get(step.anchor.removeprefix("step:"))
    return start + step.deadline if step.anchor.startswith("step:") and start else None


def _state(done: LogEntry | None, due: datetime | None, now: datetime) -> TaskState:
    if done is not None:
        return "done"
    if due is None:
        return "waiting"
    return "overdue" if due < now else "due"


def find(tasks: list[Task], step: str) -> Task:
    """The task an operator names: its number, its SOP step (``SOP-X/S03``) or step id.

    Raises:
        InputError: no such step, or a step id that several SOPs share.
    """
    text = step.strip().replace(" ", "")
    if text.isdigit() and 1 <= int(text) <= len(tasks):
        return tasks[int(text) - 1]
    names = [(t, {t.key.casefold(), (t.step.step_id or t.key).casefold()}) for t in tasks]
    hits = [t for t, known in names if text and text.casefold() in known]
    if len(hits) == 1:
        return hits[0]
    why = ("is ambiguous, give SOP/STEP" if hits
           else f"is not in the approved plan (1..{len(tasks)})")
    raise InputError(f"step '{step}' {why}")


def mark_done(
    service: CrisisService, crisis_id: str, step: str, *, author: str | None = None
) -> Marked:
    """Log that a step of the approved plan is done, once: a second call returns the first entry.

    Raises:
        InputError: no such crisis, closed, no approved plan yet, or no such step.
        NotVisible: the crisis is above the caller's clearance.
    """
    current = service.current(crisis_id)
    if current.crisis.status == "closed":
        raise InputError(f"crisis {crisis_id} is closed")
    if current.approval is None or current.suggestion is None:
        raise InputError(f"crisis {crisis_id} has no approved plan yet")
    now = utcnow()
    tasks = board(current.approval, current.suggestion.event.reported_at,
                  service.entries(crisis_id), now)
    task = find(tasks, step)
    if task.done is not None:  # the common case, without a write
        return Marked(task.done, new=False)
    payload = {"number": task.number, "sop_id": task.step.sop_id, "step_id": task.step.step_id,
               "plan": current.approval.scenario.id, "run_id": current.approval.run_id}
    return append_once(service.log, crisis_id, TASK_DONE, ("step", task.key),
                       _summary(task, now), author=service.author(author), payload=payload)


def _summary(task: Task, at: datetime) -> str:
    action = " ".join(task.step.action.split())
    action = action if len(action) <= 80 else action[:79] + "…"
    late = at - task.due if task.due else timedelta(0)
    when = f", {span(late)} after its deadline" if late > timedelta(0) else ""
    return f"done: step {task.number} ({task.key}) {action}{when}"
