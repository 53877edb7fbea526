"""In a real browser: a name is locked after 5 failed sign-ins, and after approval the plan
is a task board on which an operator marks a step done (logged once, in their name).

Same harness as ``test_console_e2e`` (``streamlit run`` on 127.0.0.1, Debian's Chromium).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from agent.auth.throttle import MAX_FAILURES
from tests.e2e.test_console_e2e import (
    CHROMIUM_ARGS,
    PASSWORD,
    WIDE,
    _chromium,
    _pick_crisis,
    _settled,
    _shot,
    _sign_in,
    roster_console,
)

__all__ = ["roster_console"]  # the fixture, shared with test_console_e2e
SLOW = 30_000
pytestmark = pytest.mark.timeout(180)


def _submit(page: Any, home: Path, name: str, password: str) -> None:
    """Submit the sign-in form once, and wait until the server has logged the attempt."""
    from agent.auth import audit

    _settled(page)
    before = len(audit.events(home))
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    deadline = time.monotonic() + SLOW / 1000
    while len(audit.events(home)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    _settled(page)


def test_lockout_then_task_board(roster_console: tuple[str, Path, str]) -> None:
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from agent.auth import audit
    from agent.crisis.service import CrisisService
    from agent.settings import Settings

    url, home, hidden = roster_console
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=WIDE)
            page.set_default_timeout(SLOW)
            page.goto(url)
            expect(page.get_by_role("heading", name="crisiscell console: sign in")).to_be_visible(
                timeout=60_000
            )
            for _ in range(MAX_FAILURES - 1):
                _submit(page, home, "olga", "wrong-password")
                expect(page.get_by_text("unknown name or wrong password")).to_be_visible()
            _submit(page, home, "olga", "wrong-password")
            locked = page.get_by_text(re.compile(r"^Too many failed sign-ins for this name"))
            expect(locked).to_be_visible()
            _submit(page, home, "olga", PASSWORD)  # the right password, still refused
            expect(locked).to_be_visible()
            assert page.get_by_role("link", name="Crisis log").count() == 0
            _shot(page, "13-sign-in-locked")

            _sign_in(page, url, "alice")  # another name is not locked
            _pick_crisis(page, "ammoniac", hidden)
            page.get_by_role("button", name="Approve A").click()
            expect(page.get_by_text("Task board").first).to_be_visible()
            expect(page.get_by_text(re.compile(r"^Plan A\. .*: 0 of \d+ done"))).to_be_visible()
            page.get_by_role("button", name="Mark step done").dblclick()  # logged once
            expect(page.get_by_text(re.compile(r"^Plan A\. .*: 1 of \d+ done"))).to_be_visible()
            _settled(page)
            _shot(page, "14-task-board")
        finally:
            browser.close()
    with CrisisService(Settings(home=home)) as service:
        done = [(e.author, e.payload["number"]) for c in service.log.crises()
                for e in service.log.entries(c.id) if e.kind == "task_done"]
    assert done == [("alice", 1)]
    events = [(e["event"], e["who"]) for e in audit.events(home)]
    assert events[:MAX_FAILURES + 2] == [("sign_in_failed", "olga")] * MAX_FAILURES + [
        ("sign_in_locked", "olga"), ("sign_in_refused_locked", "olga")]
