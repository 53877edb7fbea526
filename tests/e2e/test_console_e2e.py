"""The console end to end: `streamlit run` on 127.0.0.1, driven by real headless Chromium.

Enter an event, watch the scenarios appear, approve one, find the decision in the crisis
log, and save a screenshot of every page under ``tests/e2e/artifacts/``. Uses Debian's
``/usr/bin/chromium`` (no browser download); skips without it, except under ``CI=true``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

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
    """The console served by `streamlit run` on a free loopback port, on a temporary store."""
    port = _free_port()
    env = {**os.environ, "CRISISCELL_HOME": str(tmp_path / "home"), "CRISISCELL_LLM": "offline"}
    log = (tmp_path / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "ui" / "app.py"),
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
            _no_toast(page)
            page.set_viewport_size(TOP)
            _settled(page)
            _shot(page, "02-live-crisis-top")
            page.set_viewport_size(TALL)
            _settled(page)
            _shot(page, "02-live-crisis")
            page.set_viewport_size(WIDE)

            page.get_by_role("button", name="Approve A").click()
            expect(page.get_by_text("Approved plan: A.").first).to_be_visible()
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
