"""After approval the plan is a task board: operators mark steps done once, observers read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from agent.crisis.service import CrisisService
from agent.crisis.tasks import mark_done
from agent.store.crisis_log import LogEntry
from tests.ui.conftest import page_text
from ui.state import StateKeys
from ui.tasks import done_key

Build = Callable[..., AppTest]


def _done(crisis_id: str) -> list[LogEntry]:
    with CrisisService() as service:
        return [e for e in service.log.entries(crisis_id) if e.kind == "task_done"]


def _board(at: AppTest) -> list[dict[str, object]]:
    frame = next(d.value for d in at.dataframe if "Due" in d.value.columns)
    return list(frame.to_dict("records"))


def test_no_board_before_approval(app: Build, seeded_crisis: Callable[..., str]) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    assert not at.exception and "Task board" not in page_text(at)


@pytest.mark.usefixtures("roster")
def test_an_operator_marks_a_step_done_once(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis(approve=1)
    at = app(user="alice", CRISIS_ID=crisis_id)
    assert not at.exception
    rows = _board(at)
    assert rows and [r["#"] for r in rows] == list(range(1, len(rows) + 1))
    assert {"Step", "Owner", "Due", "Status", "Done"} <= set(rows[0])
    assert rows[0]["Status"].startswith("overdue by ")  # type: ignore[union-attr]  # T0 in 2025
    assert f"0 of {len(rows)} done" in page_text(at)
    at.selectbox(key=StateKeys.TASK_PICK).set_value(2).run()
    at.button(key=done_key(2)).click().run()
    at.run()
    assert not at.exception
    [entry] = _done(crisis_id)
    assert (entry.author, entry.payload["number"]) == ("alice", 2)
    rows = _board(at)
    assert rows[1]["Done"] is True and str(rows[1]["Status"]).endswith("by alice")
    assert f"1 of {len(rows)} done" in page_text(at)
    options = [str(o) for o in at.selectbox(key=StateKeys.TASK_PICK).options]
    assert options[0].startswith("1. ") and not any(o.startswith("2. ") for o in options)


@pytest.mark.usefixtures("roster")
def test_observers_see_the_board_read_only(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis(approve=1)
    with CrisisService() as service:
        mark_done(service, crisis_id, "1", author="bob")
    at = app(user="olga", CRISIS_ID=crisis_id)
    assert not at.exception
    assert "Task board" in page_text(at) and "1 of " in page_text(at)
    assert str(_board(at)[0]["Status"]).endswith("by bob")
    keys = {b.key for b in at.button} | {s.key for s in at.selectbox}
    assert StateKeys.TASK_PICK not in keys
    assert not any(str(k).startswith(StateKeys.TASK_DONE) for k in keys)


@pytest.mark.usefixtures("roster")
def test_a_mark_done_button_belongs_to_one_step(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    """The second click of a double click finds no button for the next step (logged once)."""
    crisis_id = seeded_crisis(approve=1)
    at = app(user="alice", CRISIS_ID=crisis_id)
    at.button(key=done_key(1)).click().run()
    assert not at.exception
    keys = {b.key for b in at.button}
    assert done_key(1) not in keys and done_key(2) in keys
    assert [e.payload["number"] for e in _done(crisis_id)] == [1]
