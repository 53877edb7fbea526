"""Integrity in the console: SOPs past review are flagged, close and de-escalate as in the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from agent.crisis.service import CrisisService
from agent.pack import Pack
from tests.ui.conftest import page_text
from ui import views
from ui.state import StateKeys

Build = Callable[..., AppTest]
SOPS = "pages/sops.py"


def test_an_sop_past_review_is_flagged_not_approved(shipped_pack: Pack) -> None:
    sop = next(s for s in shipped_pack.sops if s.review_by is not None)
    assert sop.review_by is not None and sop.status == "approved"
    before, after = sop.review_by, date.fromordinal(sop.review_by.toordinal() + 1)
    assert views.sop_status(sop, before) == ("approved", "green")
    label, colour = views.sop_status(sop, after)
    assert (label, colour) == (f"review overdue (since {sop.review_by})", "red")
    frame = views.sops_frame([sop], after)
    assert frame.loc[0, "Status"] == label


def test_sop_library_warns_about_sops_past_review(app: Build, shipped_pack: Pack) -> None:
    stale = [s.id for s in shipped_pack.sops if s.review_by and s.review_by < date.today()]
    at = app(SOPS)
    assert not at.exception
    if not stale:  # the shipped dates are what they are; nothing to flag is fine too
        return
    [warning] = [w.value for w in at.warning if "past the review date" in w.value]
    assert all(sop_id in warning for sop_id in stale)
    statuses = set(at.dataframe[0].value["Status"])
    assert any(s.startswith("review overdue") for s in statuses)


def test_deescalate_from_the_console_is_a_logged_decision(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()
    at = app(CRISIS_ID=crisis_id)
    assert at.selectbox(key=StateKeys.DEESCALATE_TO).options == ["S1", "S2"]
    at.selectbox(key=StateKeys.DEESCALATE_TO).set_value("S2")
    at.text_input(key=StateKeys.DEESCALATE_REASON).set_value("casualties discharged").run()
    at.button(key=StateKeys.DEESCALATE).click().run()
    at.run()
    assert not at.exception
    with CrisisService() as service:
        last = [e for e in service.log.entries(crisis_id) if e.kind == "decision"][-1]
    assert (last.summary, last.rationale) == ("de-escalated to S2", "casualties discharged")


def test_close_needs_a_resolution_then_archives_the_crisis(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis(approve=1)
    at = app(CRISIS_ID=crisis_id)
    at.button(key=StateKeys.CLOSE).click().run()
    assert any("resolution must not be empty" in e.value for e in at.error)
    at.text_input(key=StateKeys.CLOSE_RESOLUTION).set_value("valves closed")
    at.text_input(key=StateKeys.CLOSE_OUTCOME).set_value("2 treated on site").run()
    at.button(key=StateKeys.CLOSE).click().run()
    at.run()
    assert not at.exception
    with CrisisService() as service:
        crisis = service.require(crisis_id)
    assert crisis.status == "closed" and crisis.incident_id
    assert "Closed" in page_text(at)
    assert at.button(key=StateKeys.CLOSE).disabled
    keys = {b.key or "" for b in at.button}
    assert not any(k.startswith(StateKeys.NOTIFIED_PREFIX) for k in keys), "closed: no marking"
