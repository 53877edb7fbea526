"""AppTest fixtures: the console on a per-test store, crises seeded through the service."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agent.auth.passwords import hash_password
from agent.auth.roster import Operator, Roster, save_roster
from agent.crisis.service import CrisisService
from agent.event_input import event_from_file
from agent.store.db import dispose_engines
from ui.state import StateKeys

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "ui" / "app.py"
EXAMPLES = ROOT / "examples" / "events"
TIMEOUT = 60
PASSWORD = "correct horse battery"
PEOPLE = {
    "alice": ("operator", "internal"),
    "bob": ("operator", "internal"),
    "olga": ("observer", "internal"),
    "sam": ("sop_author", "internal"),
    "rita": ("operator", "restricted"),
}
"""The test roster: name -> (role, clearance), everyone with :data:`PASSWORD`."""
_HASH = hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    """Each test has its own store: close the pooled connections of the last one."""
    yield
    dispose_engines()


@pytest.fixture
def sops_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the shipped pack, so saving from the console touches nothing real."""
    target = tmp_path / "sops"
    shutil.copytree(ROOT / "sops", target)
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(target))
    return target


@pytest.fixture
def roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site roster (:data:`PEOPLE`): the console then requires sign-in."""
    path = tmp_path / "roster.yaml"
    entries = [
        Operator(name=name, role=role, clearance=level, password_hash=_HASH)  # type: ignore[arg-type]
        for name, (role, level) in PEOPLE.items()
    ]
    save_roster(Roster(operators=entries), path)
    monkeypatch.setenv("CRISISCELL_ROSTER", str(path))
    return path


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    """Fill and submit the sign-in form, as an operator would."""
    at.text_input(key=StateKeys.SIGNIN_NAME).set_value(name)
    at.text_input(key=StateKeys.SIGNIN_PASSWORD).set_value(password)
    at.button[0].click().run()
    return at


@pytest.fixture
def app() -> Callable[..., AppTest]:
    """Build the console, optionally signed in (``user=``, needs ``roster``) and on one page,
    with session state seeded via StateKeys."""

    def build(page: str | None = None, user: str | None = None, **state: object) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        for name, value in state.items():
            at.session_state[getattr(StateKeys, name)] = value
        at.run()
        if user is not None:
            sign_in(at, user)
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return build


@pytest.fixture
def seeded_crisis() -> Callable[..., str]:
    """Open a crisis from a shipped example through the service, as another process would."""

    def open_one(example: str = "01-ammonia-leak-rouen", approve: int | None = None) -> str:
        with CrisisService() as service:
            result = service.open(event_from_file(EXAMPLES / f"{example}.yaml"), author="seed")
            if approve is not None:
                service.approve(result.crisis.id, approve, author="seed")
            return result.crisis.id

    return open_one


def page_text(at: AppTest) -> str:
    """The visible text of the page: titles, markdown (badges too), captions, alerts, metrics."""
    kinds = (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "success",
        "info",
        "warning",
        "error",
        "toast",
    )
    parts: list[str] = []
    for kind in kinds:
        for element in at.get(kind):
            parts += [str(getattr(element, "value", "")), str(getattr(element, "label", ""))]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(b.label) for b in (*at.expander, *at.status, *at.tabs)]
    return "\n".join(parts)


def ordered_text(at: AppTest) -> list[str]:
    """The page's text elements top to bottom (containers and columns walked in order)."""
    out: list[str] = []

    def walk(node: object) -> None:
        value = getattr(node, "value", None)
        if isinstance(value, str) and value:
            out.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return out


def first_index(texts: list[str], needle: str) -> int:
    """Where ``needle`` first shows in :func:`ordered_text`; fails the test when it does not."""
    found = next((n for n, t in enumerate(texts) if needle in t), None)
    assert found is not None, f"{needle!r} is not on the page"
    return found
