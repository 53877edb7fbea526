"""The first ten minutes lead the Live view: life safety, ERG distances, priorities, don'ts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from agent.crisis.notices import mark_notified
from agent.crisis.service import CrisisService
from agent.rules.erg import parse_table1, table_path
from agent.settings import Settings
from tests.ui.conftest import first_index, ordered_text

Build = Callable[..., AppTest]
AMMONIA = {
    "guide_no": "125",
    "material_name": "Ammonia, anhydrous",
    "small_spill": {
        "isolation_distance": "30 m (100 ft)",
        "protect_day": "0.1 km (0.1 mi)",
        "protect_night": "0.2 km (0.1 mi)",
    },
    "large_spill": {"note": "Refer to Table 3"},
}
"""A Table 1 row for UN 1005 as an operator's import would hold it (test data)."""
SECTIONS = (
    "**Life safety:",
    "**ERG protective distances**",
    "#### Priorities: the first 30 minutes",
    "**Don'ts of the hour**",
    "Courses of action",
)


@pytest.fixture
def erg_table() -> None:
    """An imported ERG table in this test's home, as ``crisiscell erg import`` leaves it."""
    path = table_path(Settings().home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(parse_table1({"1005": AMMONIA}, "my-erg-copy.json").model_dump_json())


def _box(texts: list[str], heading: str) -> str:
    return texts[first_index(texts, f"**{heading}** · ")]


@pytest.mark.usefixtures("erg_table")
def test_toxic_release_leads_with_the_four_sections_in_order(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    at = app(CRISIS_ID=seeded_crisis("01-ammonia-leak-rouen"))
    assert not at.exception
    texts = ordered_text(at)
    where = [first_index(texts, marker) for marker in SECTIONS]
    assert where == sorted(where), dict(zip(SECTIONS, where, strict=True))
    assert first_index(texts, "**Life safety:") < first_index(texts, "Why >= S3")
    safety = texts[where[0]]
    assert "SHELTER IN PLACE" in safety and "toxic cloud" in safety
    assert "**Otherwise**" in safety and "From the facts" in safety
    erg = texts[where[1]]
    assert "UN 1005" in erg and "Ammonia, anhydrous" in erg and "guide 125" in erg
    assert "isolate 30 m (100 ft) all round" in erg
    source = texts[first_index(texts, "Source: ERG 2024 Table 1")]
    assert "my-erg-copy.json" in source
    now = _box(texts, "Now")
    assert "`T+2m`" in now and "SOP-IND-TOX-001/S01" in now and "_COI_" in now
    assert ":material/timer: fire rescue:" in now, "the 18/112 call runs the fire service clock"
    assert "SOP-IND-TOX-001/S03" in _box(texts, "10 min")
    assert "notify.exec_committee" in _box(texts, "30 min")
    assert "dreal inspection" in _box(texts, "Later"), "T+60m is after the boxes"
    donts = texts[where[3]]
    assert "SOP-IND-TOX-001/F1" in donts and "water jet" in donts


def test_no_hazmat_event_has_no_erg_block(app: Build, seeded_crisis: Callable[..., str]) -> None:
    at = app(CRISIS_ID=seeded_crisis("02-warehouse-fire-lyon"))
    assert not at.exception
    texts = ordered_text(at)
    assert not any("ERG" in t and "distances" in t for t in texts)
    where = [first_index(texts, m) for m in (SECTIONS[0], *SECTIONS[2:])]
    assert where == sorted(where)
    assert "EVACUATE" in texts[where[0]]
    assert "SOP-IND-FIR-002/F1" in texts[where[2]]


def test_a_un_number_without_an_imported_table_says_why_there_are_no_distances(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    texts = ordered_text(app(CRISIS_ID=seeded_crisis("01-ammonia-leak-rouen")))
    assert not any("**ERG protective distances**" in t for t in texts)
    hint = texts[first_index(texts, "UN 1005 read from the report")]
    assert "crisiscell erg import" in hint


def test_no_one_at_physical_risk_is_one_quiet_line(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    texts = ordered_text(app(CRISIS_ID=seeded_crisis("06-ransomware-paris")))
    assert "not applicable" in texts[first_index(texts, "Life safety")]
    assert not any(t.startswith("**Life safety:") for t in texts)
    assert first_index(texts, "#### Priorities") < first_index(texts, "Courses of action")


def test_a_notification_logged_as_done_shows_done_in_its_box(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis("01-ammonia-leak-rouen")
    with CrisisService() as service:
        mark_notified(service, crisis_id, "fire_rescue", author="bob")
    now = _box(ordered_text(app(CRISIS_ID=crisis_id)), "Now")
    assert ":green[:material/timer: fire rescue: done" in now and "by bob" in now


def test_once_a_plan_is_approved_its_priorities_lead(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    texts = ordered_text(app(CRISIS_ID=seeded_crisis("01-ammonia-leak-rouen", approve=2)))
    assert texts[first_index(texts, "by time box")].startswith("Scenario B.")


def test_a_slow_hazard_opens_with_its_first_step_due_and_an_open_decision(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    texts = ordered_text(app(CRISIS_ID=seeded_crisis("04-flood-orange-grenoble")))
    assert "NOT DECIDED YET" in texts[first_index(texts, "**Life safety:")]
    now = _box(texts, "Now")
    assert "the first step due" in now and "`T+60m`" in now
