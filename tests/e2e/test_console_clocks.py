"""The clocks in a real browser: overdue notifications lead, an operator marks one done,
and a wall screen nobody touches picks up what another console logged.

Same harness as ``test_console_e2e`` (``streamlit run`` on 127.0.0.1, Debian's Chromium).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_console_e2e import (
    CHROMIUM_ARGS,
    ROOT,
    WIDE,
    _chromium,
    _serve,
    _settled,
    _shot,
)
from ui.clocks import REFRESH

OPERATOR = "wanda"
SLOW = 30_000
"""ms: the machine is shared; a rerun may take a while."""
pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def overdue_console(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """The console (local mode, as ``wanda``) with a crisis whose T0 is long past."""
    from agent.crisis.service import CrisisService
    from agent.event_input import event_from_file
    from agent.settings import Settings

    home = tmp_path / "home"
    example = ROOT / "examples" / "events" / "01-ammonia-leak-rouen.yaml"
    with CrisisService(Settings(home=home)) as service:
        crisis_id = service.open(event_from_file(example), author="seed").crisis.id
    env = {k: v for k, v in os.environ.items() if k != "CRISISCELL_ROSTER"}
    for url in _serve(tmp_path, {**env, "CRISISCELL_OPERATOR": OPERATOR}):
        yield url, home, crisis_id


def _tile(page: object) -> str:
    """The notifications tile's text (waits for it: a fragment may be mid-redraw)."""
    tiles = page.locator("[data-testid='stMetric']")  # type: ignore[attr-defined]
    tile = tiles.filter(has_text=re.compile(r"^\s*Notifications")).first
    return str(tile.inner_text(timeout=SLOW)).strip()


def test_overdue_lead_mark_done_and_refresh_on_its_own(
    overdue_console: tuple[str, Path, str],
) -> None:
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from agent.crisis.notices import mark_notified
    from agent.crisis.service import CrisisService
    from agent.settings import Settings

    url, home, crisis_id = overdue_console
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=WIDE)
            page.set_default_timeout(30_000)
            page.goto(url)
            page.get_by_role("combobox", name="Active crisis").click(timeout=60_000)
            page.get_by_role("option", name=crisis_id, exact=False).first.click()
            lead = page.get_by_text(re.compile(r"\d+ notifications overdue"))
            expect(lead).to_be_visible(timeout=60_000)
            _settled(page)
            late = int(_tile(page).split()[1])
            assert late >= 3 and "fire rescue: overdue by" in _tile(page)
            countdown = page.get_by_text(re.compile(r"^overdue by \d")).first
            expect(countdown).to_be_visible(timeout=SLOW)
            _shot(page, "12-overdue-lead")

            page.get_by_role("button", name="Mark notified").first.dblclick()  # logged once
            expect(page.get_by_text(f"{late - 1} overdue", exact=True)).to_be_visible(timeout=SLOW)
            _settled(page)
            assert "fire rescue" not in _tile(page)

            # Another console (here, the service) logs one: the idle page redraws by itself.
            with CrisisService(Settings(home=home)) as service:
                mark_notified(service, crisis_id, "prefecture_cod", author="bob")
            wait_ms = (REFRESH.total_seconds() + 8) * 1000
            expect(page.get_by_text(f"{late - 2} overdue", exact=True)).to_be_visible(
                timeout=wait_ms
            )
        finally:
            browser.close()
    with CrisisService(Settings(home=home)) as service:
        done = [(e.author, e.payload["to"]) for e in service.entries(crisis_id)
                if e.kind == "notified"]
    assert done == [(OPERATOR, "fire_rescue"), ("bob", "prefecture_cod")]
