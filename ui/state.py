"""Every session-state key of the console, in one place.

Pages and tests use these names only (``st.session_state[StateKeys.CRISIS_ID]``,
``at.button(key=StateKeys.OPEN)``), so a key is never misspelt twice.
"""

from __future__ import annotations


class StateKeys:
    """Session-state keys: shared state first, then widget keys by page."""

    # --- shared state ---------------------------------------------------------------
    IDENTITY = "identity"
    """The signed-in operator (agent.auth.identity.Identity); role and clearance re-read
    from the roster on every rerun, never set by a widget."""
    LAST_SEEN = "last_seen"
    """When the session was last active (time.time()), for the idle timeout."""
    AUTH_MESSAGE = "auth_message"
    """Why the sign-in page is shown again (failed, expired, removed)."""
    SESSION_TOKEN = "session_token"
    """The signed session token of a roster sign-in (agent.auth.remember), to revoke it."""
    REMEMBER_TICKET = "remember_ticket"
    """A fresh sign-in's one-time ticket, traded by the page for the session cookie."""
    FORGET_COOKIE = "forget_cookie"
    """Set by a sign-out: the sign-in page asks the route to clear the cookie."""
    CRISIS_ID = "crisis_id"
    """The crisis the Live and Log pages show (str | None)."""
    PROGRESS = "progress"
    """Node-by-node progress of the last pipeline run (list[NodeProgress])."""
    LAST_DIFF = "last_diff"
    """What changed in the last re-run of the current crisis (list[str])."""
    FLASH = "flash"
    """A one-shot message shown after a rerun: (kind, text)."""
    NO_CHANGE = "no_change"
    """(crisis id, message) after an update or regenerate that changed nothing."""
    VIOLATIONS = "violations"
    """Rule violations of the last refused edited approval: (scenario number, [messages])."""
    SOP_LINT = "sop_lint"
    """Last lint of the SOP editor: (text hash, list[Finding])."""

    # --- sign-in and sidebar ----------------------------------------------------------
    SIGNIN_FORM = "w_signin_form"
    SIGNIN_NAME = "w_signin_name"
    SIGNIN_PASSWORD = "w_signin_password"
    OIDC_LOGIN = "w_oidc_login"
    SIGN_OUT = "w_sign_out"
    CRISIS_PICK = "w_crisis_pick"

    # --- live crisis: intake ------------------------------------------------------------
    EXAMPLE = "w_example"
    EVENT_TEXT = "w_event_text"
    EVENT_SITE = "w_event_site"
    EVENT_FACTS = "w_event_facts"
    OPEN = "w_open"
    NEW_CRISIS = "w_new_crisis"

    # --- live crisis: decisions -----------------------------------------------------------
    APPROVE_PREFIX = "w_approve_"
    """``APPROVE_PREFIX + "1"`` approves scenario 1 as proposed."""
    EDIT_SCENARIO = "w_edit_scenario"
    EDITOR_PREFIX = "w_editor_"
    APPROVE_EDITED = "w_approve_edited"
    FORCE_RATIONALE = "w_force_rationale"
    APPROVE_FORCED = "w_approve_forced"
    REJECT_REASON = "w_reject_reason"
    REJECT = "w_reject"
    REGEN_GUIDANCE = "w_regen_guidance"
    REGENERATE = "w_regenerate"
    RETRY = "w_retry"
    UPDATE_TEXT = "w_update_text"
    UPDATE_FACTS = "w_update_facts"
    UPDATE = "w_update"
    DEESCALATE_TO = "w_deescalate_to"
    DEESCALATE_REASON = "w_deescalate_reason"
    DEESCALATE = "w_deescalate"
    CLOSE_RESOLUTION = "w_close_resolution"
    CLOSE_OUTCOME = "w_close_outcome"
    CLOSE = "w_close"

    # --- live crisis: clocks ------------------------------------------------------------
    OVERDUE_LEAD = "w_overdue_lead"
    NOTIFIED_PREFIX = "w_notified_"
    """``NOTIFIED_PREFIX + "fire_rescue"`` marks that overdue notification as done."""
    NOTIFIED_PICK = "w_notice_pick"
    NOTIFIED_LOG = "w_notice_log"

    # --- live crisis: task board ----------------------------------------------------------
    TASK_BOARD = "w_task_board"
    TASK_PICK = "w_task_pick"
    """Which pending step of the approved plan the operator marks done (its number)."""
    TASK_DONE = "w_task_done"

    # --- crisis log ----------------------------------------------------------------------------
    LOG_KINDS = "w_log_kinds"
    LOG_AUTHORS = "w_log_authors"
    NOTE_FORM = "w_note_form_"
    """Note widgets are keyed ``NOTE_TEXT + str(generation)``: a new generation per write."""
    NOTE_TEXT = "w_note_text_"
    NOTE_CORRECTS = "w_note_corrects_"
    ADD_NOTE = "w_add_note_"
    NOTE_GENERATION = "note_generation"
    """How many notes this session wrote (int): the suffix of the note form's keys."""
    NOTES_WRITTEN = "notes_written"
    """Generations already written (set[int]): a replayed submission writes nothing."""

    # --- history -------------------------------------------------------------------------------
    HIST_FAMILY = "w_hist_family"
    HIST_SITE = "w_hist_site"
    HIST_PERIOD = "w_hist_period"
    HIST_TEXT = "w_hist_text"
    HIST_TABLE = "w_hist_table"
    HIST_OPEN = "w_hist_open"

    # --- SOP library ------------------------------------------------------------------------------
    SOP_FAMILY = "w_sop_family"
    SOP_PICK = "w_sop_pick"
    SOP_YAML = "w_sop_yaml"
    SOP_LOAD = "w_sop_load"
    SOP_LINT_BTN = "w_sop_lint_btn"
    SOP_SAVE = "w_sop_save"

    # --- evaluations ------------------------------------------------------------------------------
    EVAL_RUN = "w_eval_run"
    EVAL_RUN_B = "w_eval_run_b"

    # --- settings ---------------------------------------------------------------------------------
    LLM_CHECK = "w_llm_check"
