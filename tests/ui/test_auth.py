"""Sign-in, roles and expiry of the console, through AppTest on a site roster."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agent.auth import audit
from agent.auth.identity import Identity
from agent.auth.remember import SIGNED_OUT, verify
from agent.auth.roster import load_roster, roster_path
from agent.crisis.service import CrisisService
from agent.event_input import event_from_file
from agent.settings import Settings
from tests.ui.conftest import APP, EXAMPLES, TIMEOUT, page_text, sign_in
from ui.state import StateKeys

Build = Callable[..., AppTest]
LIVE, LOG, SOPS, SETTINGS = "pages/live.py", "pages/log.py", "pages/sops.py", "pages/settings.py"
HISTORY = "pages/history.py"
RESTRICTED_STEP = "lockdown signal set out in the restricted security plan"
"""SOP-SEC-ATK-014 step S01, marked restricted."""

pytestmark = pytest.mark.usefixtures("roster")


def _restricted_crisis() -> str:
    """A crisis opened at ``restricted`` by another operator."""
    with CrisisService() as service:
        event = event_from_file(EXAMPLES / "06-ransomware-paris.yaml")
        return service.open(event, author="rita", clearance="restricted").crisis.id


def _role(at: AppTest) -> tuple[str, str]:
    metrics = {m.label: m.value for m in at.metric}
    return metrics["Role"], metrics["Clearance"]


def test_without_sign_in_only_the_sign_in_page_exists() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert at.title[0].value == "crisiscell console: sign in"
    assert not at.selectbox, "no crisis picker, no page content"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(LOG)  # the pages' scripts are not registered: only sign-in doors


def test_a_wrong_password_is_refused_and_logged_without_the_password(app: Build) -> None:
    at = app()
    sign_in(at, "alice", "not-the-password")
    assert not at.exception
    assert any("unknown name or wrong password" in e.value for e in at.error)
    assert at.title[0].value == "crisiscell console: sign in"
    events = audit.events(Settings().home)
    assert [(e["event"], e["who"]) for e in events] == [("sign_in_failed", "alice")]
    logged = (Settings().home / audit.AUDIT_FILE).read_text("utf-8")
    assert "not-the-password" not in logged


def test_an_operator_signs_in_and_is_named_in_the_sidebar(app: Build) -> None:
    at = app(user="alice")
    assert at.title[0].value == "Open a crisis"
    assert any("alice" in c.value and "operator" in c.value for c in at.sidebar.caption)
    assert [e["event"] for e in audit.events(Settings().home)] == ["sign_in"]


def test_an_idle_session_expires(app: Build) -> None:
    at = app(user="alice")
    at.session_state[StateKeys.LAST_SEEN] = time.time() - 9 * 3600
    at.run()
    assert at.title[0].value == "crisiscell console: sign in"
    assert any("expired" in e.value for e in at.error)


def test_the_idle_timeout_is_configurable(app: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_SESSION_IDLE_MINUTES", "1")
    at = app(user="alice")
    at.session_state[StateKeys.LAST_SEEN] = time.time() - 120
    at.run()
    assert at.title[0].value == "crisiscell console: sign in"


def test_sign_out_returns_to_the_sign_in_page(app: Build) -> None:
    at = app(user="alice")
    at.sidebar.button(key=StateKeys.SIGN_OUT).click().run()
    assert at.title[0].value == "crisiscell console: sign in"


def _session_of(at: AppTest) -> str:
    token = at.session_state[StateKeys.SESSION_TOKEN]
    assert verify(Settings().home, load_roster(roster_path(Settings().home)), token,
                  max_age_s=3600) is not None, "a fresh sign-in holds a good session token"
    return str(token)


def test_sign_out_and_expiry_revoke_the_session_cookie_for_good(app: Build) -> None:
    for end in ("sign_out", "idle"):
        at = app(user="alice")
        token = _session_of(at)
        if end == "sign_out":
            at.sidebar.button(key=StateKeys.SIGN_OUT).click().run()
        else:
            at.session_state[StateKeys.LAST_SEEN] = time.time() - 9 * 3600
            at.run()
        assert at.title[0].value == "crisiscell console: sign in"
        roster = load_roster(roster_path(Settings().home))
        assert verify(Settings().home, roster, token, max_age_s=3600) is None, end
    assert [e["event"] for e in audit.events(Settings().home)].count(SIGNED_OUT) == 2


def test_session_state_and_query_cannot_raise_role_or_clearance(app: Build) -> None:
    at = app(SETTINGS, user="olga")
    at.session_state[StateKeys.IDENTITY] = Identity("olga", "admin", "secret", "roster")
    at.session_state["clearance"] = "secret"
    at.query_params["clearance"] = "secret"
    at.query_params["role"] = "admin"
    at.run()
    assert _role(at) == ("observer", "internal"), "re-read from the roster on every rerun"


def test_an_identity_planted_from_another_mode_is_not_honoured(app: Build) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state[StateKeys.IDENTITY] = Identity("mallory", "admin", "secret", "local")
    at.session_state[StateKeys.LAST_SEEN] = time.time()
    at.run()
    assert at.title[0].value == "crisiscell console: sign in"


def test_an_operator_removed_from_the_roster_is_signed_out(app: Build, roster: Path) -> None:
    at = app(user="bob")
    roster.write_text(roster.read_text("utf-8").replace("name: bob", "name: bobby"), "utf-8")
    at.run()
    assert at.title[0].value == "crisiscell console: sign in"


def test_an_observer_reads_but_has_no_decide_buttons(
    app: Build, seeded_crisis: Callable[..., str]
) -> None:
    crisis_id = seeded_crisis()
    at = app(user="olga", CRISIS_ID=crisis_id)
    assert not at.exception
    assert "Courses of action" in page_text(at)
    keys = {b.key for b in at.button}
    assert not any(k and k.startswith(StateKeys.APPROVE_PREFIX) for k in keys)
    assert "overdue" in page_text(at) and not any(
        k and k.startswith(StateKeys.NOTIFIED_PREFIX) for k in keys
    ), "an observer sees the overdue clocks, and cannot mark one done"
    assert StateKeys.NOTIFIED_LOG not in keys
    assert not {StateKeys.REJECT, StateKeys.REGENERATE, StateKeys.UPDATE} & keys
    at.selectbox(key=StateKeys.CRISIS_PICK).set_value("__new__").run()
    assert StateKeys.OPEN not in {b.key for b in at.button}, "opening a crisis is a decision"
    at.session_state[StateKeys.CRISIS_ID] = crisis_id
    at.switch_page(LOG).run()
    assert not any(b.key and b.key.startswith(StateKeys.ADD_NOTE) for b in at.button)
    assert len(at.get("download_button")) == 4, "an observer may export what they may read"


def test_a_restricted_crisis_is_invisible_to_an_internal_observer(app: Build) -> None:
    hidden = _restricted_crisis()
    at = app(user="olga")
    assert not any(hidden in str(o) for o in at.selectbox(key=StateKeys.CRISIS_PICK).options)
    for page in (LIVE, LOG):
        at.session_state[StateKeys.CRISIS_ID] = hidden
        at.switch_page(page).run()
        assert "ransomware" not in page_text(at).lower()
        assert not at.get("download_button")


def test_a_restricted_sop_step_is_invisible_to_an_internal_observer(app: Build) -> None:
    at = app(SOPS, user="olga")
    at.selectbox(key=StateKeys.SOP_PICK).set_value("SOP-SEC-ATK-014").run()
    assert not at.exception
    shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert "SOP-SEC-ATK-014" in shown
    assert RESTRICTED_STEP not in shown
    assert not at.text_area, "no YAML editor (the raw file holds every step)"
    assert "hidden" in page_text(at)


def test_only_sop_authors_see_the_sop_editor(app: Build, sops_copy: Path) -> None:
    at = app(SOPS, user="alice")
    assert StateKeys.SOP_SAVE not in {b.key for b in at.button}
    at = app(SOPS, user="sam")
    assert StateKeys.SOP_SAVE in {b.key for b in at.button}


def test_an_sop_edit_is_logged_with_the_author(app: Build, sops_copy: Path) -> None:
    at = app(SOPS, user="sam")
    at.selectbox(key=StateKeys.SOP_PICK).set_value("SOP-IND-FIR-002").run()
    at.button(key=StateKeys.SOP_LINT_BTN).click().run()
    at.button(key=StateKeys.SOP_SAVE).click().run()
    assert not at.exception
    saved = [e for e in audit.events(Settings().home) if e["event"] == "sop_saved"]
    assert [(e["who"], e["file"]) for e in saved] == [("sam", "SOP-IND-FIR-002.yaml")]


def test_the_history_hides_what_the_clearance_may_not_see(app: Build) -> None:
    at = app(HISTORY, user="olga")
    assert not at.exception
    assert "hidden by your clearance" in page_text(at) or at.dataframe
