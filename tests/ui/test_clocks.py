"""Live page, as a crisis room reads it: overdue clocks lead, severity is a lower bound,
messages say what really happened, one approval locks the others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from agent.crisis.notices import NoticeClock
from agent.crisis.service import CrisisService
from agent.domain import NotificationDue, Severity
from agent.event_input import event_from_text
from agent.pack import Pack
from agent.store.crisis_log import LogEntry
from tests.ui.conftest import page_text
from ui import views
from ui.state import StateKeys

Build = Callable[..., AppTest]
RANSOMWARE = "Ransomware on 40 servers, backups encrypted"


def _notified(crisis_id: str) -> list[LogEntry]:
    with CrisisService() as service:
        return [e for e in service.log.entries(crisis_id) if e.kind == "notified"]


@pytest.mark.usefixtures("roster")
def test_overdue_notifications_lead_in_red_and_an_operator_marks_one_done(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()  # T0 in March 2025: every unconditional clock is past
    at = app(user="alice", CRISIS_ID=crisis_id)
    assert not at.exception
    tile = next(m for m in at.metric if m.label == "Notifications")
    late = int(tile.value.split()[0])
    assert tile.value.endswith("overdue") and late >= 3
    assert tile.proto.color == tile.proto.MetricColor.RED
    lead = at.get("markdown")
    assert any(":red[" in m.value and "overdue by " in m.value for m in lead)
    assert "fire rescue" in tile.delta, "the most overdue leads"
    at.button(key=f"{StateKeys.NOTIFIED_PREFIX}fire_rescue").click().run()
    at.run()
    assert not at.exception
    [entry] = _notified(crisis_id)
    assert (entry.author, entry.payload["to"]) == ("alice", "fire_rescue")
    tile = next(m for m in at.metric if m.label == "Notifications")
    assert tile.value == f"{late - 1} overdue" and "fire rescue" not in tile.delta
    keys = {b.key for b in at.button}
    assert f"{StateKeys.NOTIFIED_PREFIX}fire_rescue" not in keys
    status = {row["To"]: row["Status"] for row in _notifications_table(at)}
    assert status["fire rescue"].startswith("done ") and status["fire rescue"].endswith("alice")


def _notifications_table(at: AppTest) -> list[dict[str, str]]:
    frame = next(d.value for d in at.dataframe if "Legal basis" in d.value.columns)
    return list(frame.to_dict("records"))


@pytest.mark.usefixtures("roster")
def test_any_pending_notification_can_be_logged_from_the_table(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()
    at = app(user="bob", CRISIS_ID=crisis_id)
    at.selectbox(key=StateKeys.NOTIFIED_PICK).set_value("labour_inspectorate").run()
    at.button(key=StateKeys.NOTIFIED_LOG).click().run()
    at.run()
    assert [(e.author, e.payload["to"]) for e in _notified(crisis_id)] == [
        ("bob", "labour_inspectorate")
    ]
    assert "labour_inspectorate" not in at.selectbox(key=StateKeys.NOTIFIED_PICK).options


def test_ransomware_with_unknowns_is_a_lower_bound_never_green(app: Build) -> None:
    with CrisisService() as service:
        crisis_id = service.open(event_from_text(RANSOMWARE, "test"), author="seed").crisis.id
    at = app(CRISIS_ID=crisis_id)
    assert not at.exception
    severity = at.metric[0]
    assert severity.value.startswith(">= S") and "dimensions unknown" in severity.delta
    assert "Minor" not in page_text(at)
    badges = [m.value for m in at.get("markdown") if "dimensions unknown" in m.value]
    assert badges and not any(":green-badge" in b for b in badges)


@pytest.mark.parametrize(
    ("level", "unknowns", "label", "colour"),
    [
        ("S1", 12, ">= S1 · 12 dimensions unknown", "gray"),
        ("S1", 0, "S1 · Minor", "green"),
        ("S3", 1, ">= S3 · 1 dimension unknown", "orange"),
        ("S4", 0, "S4 · Major", "red"),
    ],
)
def test_severity_label(
    level: str, unknowns: int, label: str, colour: str, shipped_pack: Pack
) -> None:
    severity = Severity(level=level, unknowns=[f"d{n}" for n in range(unknowns)])  # type: ignore[arg-type]
    assert views.severity_label(severity, shipped_pack) == (label, colour)


def test_countdown_and_tile() -> None:
    t0 = datetime(2025, 3, 14, 7, 0, tzinfo=UTC)
    n = NotificationDue(sop_id="S", ref="r", to="fire_rescue", within=timedelta(minutes=5),
                        due_at=t0, mandatory=True, conditional=False)
    late = NoticeClock(n, "overdue", -timedelta(hours=1, minutes=5))
    soon = NoticeClock(n, "due", timedelta(hours=22, minutes=54))
    assert views.countdown(late) == "overdue by 1 h 05"
    assert views.countdown(soon) == "in 22 h 54"
    assert views.notices_tile([late, soon]) == ("1 overdue", "fire rescue: overdue by 1 h 05",
                                                "red")
    assert views.notices_tile([soon]) == ("in 22 h 54", "fire rescue", "off")


def test_a_regenerate_that_changes_nothing_says_so(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    at.text_input(key=StateKeys.REGEN_GUIDANCE).set_value("same again").run()
    at.button(key=StateKeys.REGENERATE).click().run()
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "Regenerate changed nothing" in text
    assert "New scenarios drafted" not in text


def test_after_a_reject_the_page_shows_the_rejection(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(CRISIS_ID=seeded_crisis())
    at.text_input(key=StateKeys.REJECT_REASON).set_value("wind turned north").run()
    at.button(key=StateKeys.REJECT).click().run()
    at.run()
    assert not at.exception
    [warning] = [w.value for w in at.warning if "Scenarios rejected" in w.value]
    assert "wind turned north" in warning


def test_after_approval_the_other_approve_buttons_are_off(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(CRISIS_ID=seeded_crisis(approve=2))
    assert not at.exception
    approve = [at.button(key=f"{StateKeys.APPROVE_PREFIX}{n}") for n in (1, 2, 3)]
    assert all(b.disabled for b in approve)
    assert not at.button(key=StateKeys.REJECT).disabled, "changing course stays possible"
    assert "A plan is approved" in page_text(at)
