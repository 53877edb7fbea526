"""The console end to end: `streamlit run` on 127.0.0.1, driven by real headless Chromium.

Enter an event, watch the scenarios appear, approve one, find the decision in the crisis
log, and save a screenshot of every page under ``tests/e2e/artifacts/``. Uses Debian's
``/usr/bin/chromium`` (no browser download); skips without it, except under ``CI=true``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVENT = (
    "Fuite d'ammoniac sur le groupe frigorifique du bâtiment B4 de l'usine de Rouen, "
    "détecteurs NH3 en alarme. Deux opérateurs incommodés évacués vers le CHU; la vanne de "
    "sectionnement n'est pas encore fermée et le nuage dérive vers la clôture nord."
)
FACTS = "casualties:\n  hospitalised_onsite: 2\ndetectors:\n  nh3_alarm: true\n"
WIDE = {"width": 1440, "height": 1000}
TOP = {"width": 1440, "height": 1250}
TALL = {"width": 1440, "height": 3600}

PASSWORD = "correct horse battery"
RESTRICTED_STEP = "lockdown signal set out in the restricted security plan"
"""SOP-SEC-ATK-014 step S01, marked restricted."""
PAGES = (
    ("Live crisis", "Courses of action"),
    ("Crisis log", "Crisis log"),
    ("History", "History"),
    ("SOP library", "SOP library"),
    ("Evaluations", "Evaluations"),
    ("Settings & status", "Settings & status"),
)

pytestmark = pytest.mark.timeout(180)


def _chromium() -> Path:
    if CHROMIUM.is_file():
        return CHROMIUM
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture
def console(tmp_path: Path) -> Iterator[str]:
    """The console in single-user local mode (no roster), on a temporary store."""
    env = {k: v for k, v in os.environ.items() if k != "CRISISCELL_ROSTER"}
    yield from _serve(tmp_path, env)


@pytest.fixture
def roster_console(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """The console with a site roster (olga: observer, alice: operator, both ``internal``),
    a crisis at ``internal`` and one opened at ``restricted`` by someone else."""
    from agent.auth.passwords import hash_password
    from agent.auth.roster import Operator, Roster, save_roster
    from agent.crisis.service import CrisisService
    from agent.event_input import event_from_file
    from agent.settings import Settings

    home = tmp_path / "home"
    hashed = hash_password(PASSWORD)
    people = [("olga", "observer"), ("alice", "operator")]
    entries = [Operator(name=n, role=r, password_hash=hashed) for n, r in people]  # type: ignore[arg-type]
    save_roster(Roster(operators=entries), home / "roster.yaml")
    examples = ROOT / "examples" / "events"
    with CrisisService(Settings(home=home, clearance="secret")) as service:
        hidden = service.open(
            event_from_file(examples / "06-ransomware-paris.yaml"),
            author="rita",
            clearance="restricted",
        ).crisis.id
        service.open(
            event_from_file(examples / "01-ammonia-leak-rouen.yaml"),
            author="seed",
            clearance="internal",
        )
    env = {k: v for k, v in os.environ.items() if k != "CRISISCELL_ROSTER"}
    for url in _serve(tmp_path, env):
        yield url, home, hidden


def _serve(tmp_path: Path, base: dict[str, str]) -> Iterator[str]:
    """`streamlit run` on a free loopback port, on the store under ``tmp_path/home``."""
    port = _free_port()
    env = {**base, "CRISISCELL_HOME": str(tmp_path / "home"), "CRISISCELL_LLM": "offline"}
    log = (tmp_path / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "ui" / "server.py"),  # what `crisiscell ui` serves
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # type: ignore[attr-defined]


def _settled(page: object) -> None:
    """Wait until the app is not running a script (Streamlit's status widget is gone)."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(600)  # type: ignore[attr-defined]


def _no_toast(page: object) -> None:
    """Let the transient toasts fade, so they do not cover the header in screenshots."""
    page.locator("[data-testid='stToast']").first.wait_for(  # type: ignore[attr-defined]
        state="detached", timeout=15_000
    )


def _fill(page: object, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)  # type: ignore[attr-defined]
    box.fill(text)
    box.press("Tab")  # Streamlit commits a text area on blur


def _life_safety_leads(page: Any) -> None:
    """The life-safety decision is on screen, above the courses of action (issue 11)."""
    from playwright.sync_api import expect

    decision = page.locator(".st-key-fm_life_safety")
    expect(decision).to_be_visible()
    expect(decision).to_contain_text("Life safety: SHELTER IN PLACE")
    cards = page.get_by_role("heading", name="Courses of action")
    assert decision.bounding_box()["y"] < cards.bounding_box()["y"]


def test_console_end_to_end(console: str) -> None:
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=WIDE)
            page.set_default_timeout(30_000)
            # First request of a fresh server is a deep link (a bookmark, or a tab that
            # reconnects after a restart): the frame must still run, with its navigation.
            page.goto(f"{console}/history")
            expect(page.get_by_role("heading", name="History")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Crisis room")).to_be_visible()
            expect(page.get_by_role("combobox", name="Active crisis")).to_be_visible()

            page.goto(console)
            expect(page.get_by_role("heading", name="Open a crisis")).to_be_visible(timeout=60_000)
            _settled(page)
            _shot(page, "01-intake")

            page.get_by_role("combobox", name="Site").click()
            page.get_by_role("option", name="SITE-01", exact=False).click()
            _settled(page)
            _fill(page, "Event report", EVENT)
            _fill(page, "Known facts (optional, YAML)", FACTS)
            _settled(page)
            page.get_by_role("button", name="Analyse and open the crisis").click()
            expect(page.get_by_role("heading", name="Courses of action")).to_be_visible(
                timeout=60_000
            )
            _settled(page)
            expect(page.get_by_text("Waiting for your decision").first).to_be_visible()
            expect(page.get_by_text("SOP-IND-TOX-001").first).to_be_visible()
            _life_safety_leads(page)
            _no_toast(page)
            page.set_viewport_size(TOP)
            _settled(page)
            _shot(page, "02-live-crisis-top")
            page.set_viewport_size(TALL)
            _settled(page)
            _shot(page, "02-live-crisis")
            page.set_viewport_size(WIDE)

            page.get_by_role("button", name="Approve A").click()
            expect(page.get_by_text("Approved plan: A.").first).to_be_visible(timeout=30_000)
            _settled(page)
            _shot(page, "03-approved")

            page.get_by_role("link", name="Crisis log").click()
            expect(page.get_by_role("heading", name="Crisis log")).to_be_visible()
            expect(page.get_by_text("Latest decision").first).to_be_visible()
            expect(page.get_by_text("approved scenario 1").first).to_be_attached()
            expect(page.locator("td", has_text="approved scenario 1").first).to_be_attached()
            expect(page.get_by_role("button", name="ICS-214 log (Markdown)")).to_be_visible()
            _settled(page)
            _shot(page, "04-crisis-log")

            for link, heading, name in (
                ("History", "History", "05-history"),
                ("SOP library", "SOP library", "06-sop-library"),
                ("Evaluations", "Evaluations", "07-evaluations"),
                ("Settings & status", "Settings & status", "08-settings"),
            ):
                page.get_by_role("link", name=link).click()
                expect(page.get_by_role("heading", name=heading)).to_be_visible()
                _settled(page)
                _shot(page, name)
            expect(page.get_by_text("The offline backend always answers.")).to_be_visible()
        finally:
            browser.close()


def _sign_in(page: Any, url: str, name: str) -> None:
    """Open the console (a new session) and sign in with the roster form."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_role("heading", name="crisiscell console: sign in")).to_be_visible(
        timeout=60_000
    )
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"{name}").first).to_be_visible()
    _settled(page)


def _pick_crisis(page: Any, needle: str, hidden_id: str) -> None:
    """Pick a crisis in the sidebar; the restricted one is not among the options."""
    page.get_by_role("combobox", name="Active crisis").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    assert hidden_id not in " ".join(options.all_inner_texts())
    page.get_by_role("option", name=needle, exact=False).first.click()
    _settled(page)


def _restricted_is_nowhere(page: Any, hidden_id: str) -> None:
    """Visit every page: neither the restricted crisis nor the restricted SOP step shows."""
    from playwright.sync_api import expect

    for link, heading in PAGES:
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        _settled(page)
        html = page.content()
        assert hidden_id not in html, f"restricted crisis on {link}"
        assert RESTRICTED_STEP not in html, f"restricted SOP step on {link}"
        assert page.get_by_role("button", name=re.compile(r"^Approve")).count() == 0
    page.get_by_role("link", name="SOP library").click()
    page.get_by_role("combobox", name="Read an SOP").click()
    page.get_by_role("option", name="SOP-SEC-ATK-014", exact=False).click()
    _settled(page)
    expect(page.get_by_text("SOP-SEC-ATK-014").first).to_be_visible()
    assert RESTRICTED_STEP not in page.content()
    assert page.get_by_role("button", name="Save into the pack").count() == 0


def _session_cookie(page: Any) -> dict[str, Any]:
    """The console's session cookie, once the page has traded its ticket for it."""
    for _ in range(50):
        found = [c for c in page.context.cookies() if c["name"] == "crisiscell_session"]
        if found:
            return dict(found[0])
        page.wait_for_timeout(200)
    raise AssertionError("no session cookie after sign-in")


def _reload_keeps_sign_in_until_sign_out(page: Any, name: str) -> None:
    """A reload keeps the roster sign-in (an HttpOnly cookie); a sign-out ends it for good."""
    from playwright.sync_api import expect

    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "crisiscell_session" not in page.evaluate("document.cookie")
    page.reload()
    expect(page.get_by_text(name).first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="Crisis log")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    heading = page.get_by_role("heading", name="crisiscell console: sign in")
    expect(heading).to_be_visible()
    page.context.add_cookies([{**cookie, "sameSite": "Strict"}])  # a copy of the old cookie
    page.reload()
    expect(heading).to_be_visible(timeout=60_000)
    assert page.get_by_role("link", name="Crisis log").count() == 0


def test_console_roster_sign_in_roles_and_need_to_know(
    roster_console: tuple[str, Path, str],
) -> None:
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    from agent.crisis.service import CrisisService
    from agent.settings import Settings

    url, home, hidden = roster_console
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=WIDE)
            page.set_default_timeout(30_000)
            # A deep link before sign-in lands on the sign-in page, with no navigation.
            page.goto(f"{url}/log")
            expect(page.get_by_role("heading", name="crisiscell console: sign in")).to_be_visible(
                timeout=60_000
            )
            assert page.get_by_role("link", name="Crisis log").count() == 0
            page.get_by_label("Name", exact=True).fill("olga")
            page.get_by_label("Password", exact=True).fill("wrong-password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("unknown name or wrong password")).to_be_visible()
            _shot(page, "09-sign-in-refused")

            # Observer, internal, with a URL asking for more: reads only what it may.
            _sign_in(page, f"{url}/?clearance=secret&role=admin", "olga")
            expect(page.get_by_text("observer").first).to_be_visible()
            _pick_crisis(page, "ammoniac", hidden)
            expect(page.get_by_role("heading", name="Courses of action")).to_be_visible()
            _restricted_is_nowhere(page, hidden)
            page.get_by_role("link", name="Settings & status").click()
            _settled(page)
            metrics = page.locator("[data-testid='stMetric']").all_inner_texts()
            assert any("observer" in m for m in metrics) and any("internal" in m for m in metrics)
            assert not any("secret" in m or "admin" in m for m in metrics)
            _shot(page, "10-observer-settings")
            _reload_keeps_sign_in_until_sign_out(page, "olga")

            # Operator: approves, in their own name.
            _sign_in(page, url, "alice")
            _pick_crisis(page, "ammoniac", hidden)
            page.get_by_role("button", name="Approve A").click()
            expect(page.get_by_text("Approved plan: A.").first).to_be_visible(timeout=30_000)
            _shot(page, "11-operator-approved")
        finally:
            browser.close()
    with CrisisService(Settings(home=home)) as service:
        authors = {
            e.author
            for c in service.log.crises()
            for e in service.log.entries(c.id)
            if e.kind == "decision"
        }
    assert authors == {"alice"}
