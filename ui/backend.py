"""The console's only door to ``agent``: settings, the crisis service, the pack, the stores.

Pages call these thin functions and render what comes back; no decision is taken
here that the service, the rules or the stores do not already take. Every read and
decision goes through one crisis service per process and configuration (graph compiled
and checkpointer opened once, ``st.cache_resource``), seen as the signed-in operator.
No module of ``ui`` imports ``agent.store``: this one reads through the services
(``CrisisService``, ``agent.archive.Archive``, ``evals.store``); pages name its record types
(:class:`Crisis`, :class:`LogEntry`) from here.
"""

from __future__ import annotations

import copy
import hashlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from agent.archive import Archive
from agent.auth import audit as audit_log
from agent.auth.errors import AuthError
from agent.auth.identity import Action, Identity
from agent.context import Deps
from agent.crisis.notices import Marked, NoticeClock, clocks
from agent.crisis.notices import mark_notified as mark_notice
from agent.crisis.service import Crisis as Crisis  # re-exported: pages name it from here
from agent.crisis.service import CrisisResult, CrisisService
from agent.crisis.service import LogEntry as LogEntry  # re-exported, as Crisis
from agent.crisis.streaming import NodeProgress, streaming
from agent.crisis.tasks import Task, board
from agent.crisis.tasks import mark_done as mark_task
from agent.domain import Approval, Event, Incident, NotificationDue, Scenario
from agent.errors import CrisisCellError, InputError, RuleViolation
from agent.event_input import event_from_file
from agent.llm.factory import make_llm
from agent.pack import Pack
from agent.pack.lint import Finding
from agent.pack.loader import KIND_FILES, lint_paths, pack_files
from agent.pack.models import Sop
from agent.pack.revisions import keep_previous, revision_problem
from agent.rules.need_to_know import Clearance, visible_sop
from agent.settings import PROJECT_ROOT, Settings
from ui.state import StateKeys

EXAMPLES_DIR = PROJECT_ROOT / "examples" / "events"


# --- settings, identity, permissions ---------------------------------------------------


def settings() -> Settings:
    """Settings from the environment and ``crisiscell.toml``, read on every rerun."""
    return Settings()


def identity() -> Identity:
    """The signed-in operator (set by the frame, :mod:`ui.auth`, on every rerun).

    Raises:
        AuthError: nobody is signed in (a page reached without the frame).
    """
    who = st.session_state.get(StateKeys.IDENTITY)
    if not isinstance(who, Identity):
        raise AuthError("nobody is signed in")
    return who


def operator() -> str:
    """Who is deciding: the signed-in operator, recorded as the author of every entry."""
    return identity().name


def clearance() -> str:
    """The signed-in operator's clearance, from the roster (never from a widget)."""
    return identity().clearance


def can(action: Action) -> bool:
    """Whether the signed-in operator's role allows ``action`` (to hide what it does not)."""
    return identity().can(action)


def audit(event: str, **fields: str) -> None:
    """Record a security event (SOP edit, export) with the signed-in identity."""
    audit_log.record(settings().home, event, operator(), **fields)


# --- shared dependencies ----------------------------------------------------------------


def _config() -> tuple[str, str, str, str]:
    """What the cached pack, archive and service are built from (one entry per configuration)."""
    s = settings()
    return s.llm, str(s.sops_dir), str(s.history_dir), s.db_url


@st.cache_resource(show_spinner=False)
def _deps(llm: str, sops_dir: str, history_dir: str, db_url: str) -> Deps:
    return Deps(llm=make_llm(Settings()), settings=Settings())


@st.cache_resource(show_spinner=False)
def _service(llm: str, sops_dir: str, history_dir: str, db_url: str) -> CrisisService:
    """The process's one crisis service: the graph compiled and the checkpointer opened once.

    Never closed by the console: sessions in other threads may hold a view of it.
    """
    return CrisisService(deps=_deps(llm, sops_dir, history_dir, db_url))


def deps() -> Deps:
    """The pack, archive and LLM, built once per configuration and shared by every session."""
    return _deps(*_config())


def forget_deps() -> None:
    """Drop the cached pack, archive and service (after the pack changed on disk)."""
    _deps.clear()
    _service.clear()


def pack() -> Pack:
    """The loaded SOP pack."""
    return deps().pack


def _as_caller(shared: CrisisService, who: Identity) -> CrisisService:
    """The shared service seen as one operator: their clearance and name, its graph and store.

    A shallow copy, so a streamed run (``streaming`` sets what it watches on the copy)
    never touches the service other sessions read through at the same time.
    """
    view = copy.copy(shared)
    view.settings = shared.settings.model_copy(
        update={"clearance": who.clearance, "operator": who.name}
    )
    return view


@contextmanager
def service() -> Iterator[CrisisService]:
    """The crisis service for one read, as the signed-in operator with their clearance."""
    yield _as_caller(_service(*_config()), identity())


@contextmanager
def acting(action: Action) -> Iterator[CrisisService]:
    """A crisis service for one write, only if the operator's role allows ``action``.

    Raises:
        Forbidden: the role does not allow it (checked here, not only by hiding buttons).
    """
    identity().require(action)
    with service() as svc:
        yield svc


def run_streamed(
    action: Callable[[CrisisService], CrisisResult], on_node: Callable[[NodeProgress], None]
) -> CrisisResult:
    """Run a decision (open, update, regenerate), reporting every graph node to ``on_node``."""
    with acting("decide") as svc, streaming(svc, on_node) as streamed:
        return action(streamed)


# --- crises -----------------------------------------------------------------------------


def approve_edited(crisis_id: str, scenario: int, edited: Scenario) -> list[str]:
    """Approve an edited scenario if the rules allow it; else what they refuse, one a line.

    The verdict is the rules' own list (``check_edit``), so nothing is parsed out of an
    error message. An empty list means the scenario was approved and logged.

    Raises:
        Forbidden: the role may not decide.
        CrisisCellError: the crisis is not waiting for a decision, or the store failed.
    """
    with acting("decide") as svc:
        report = svc.check_edit(crisis_id, edited)
        if not report.compliant:
            return [v.message for v in report.violations] or ["the SOPs refuse this edit"]
        try:
            svc.approve(crisis_id, scenario, author=operator(), edited=edited)
        except RuleViolation as exc:  # the crisis moved on between the check and the approval
            return [str(exc)]
    return []


def crises() -> list[Crisis]:
    """Every crisis the operator's clearance may see, newest first."""
    with service() as svc:
        return svc.crises()


def current(crisis_id: str) -> CrisisResult:
    """Where a crisis stands."""
    with service() as svc:
        return svc.current(crisis_id)


def entries(crisis_id: str) -> list[LogEntry]:
    """The crisis log, oldest first."""
    with service() as svc:
        return svc.entries(crisis_id)


def notice_clocks(
    crisis_id: str, notices: Sequence[NotificationDue], now: datetime
) -> list[NoticeClock]:
    """The crisis's notifications against the clock, done ones read from the log."""
    return clocks(notices, entries(crisis_id), now)


def mark_notified(crisis_id: str, recipient: str) -> Marked:
    """Log a notification as done, as the signed-in operator (operators and admins only).

    Raises:
        Forbidden: the role may not write to the crisis log.
    """
    with acting("note") as svc:
        return mark_notice(svc, crisis_id, recipient, author=operator())


def task_board(crisis_id: str, approval: Approval, t0: datetime, now: datetime) -> list[Task]:
    """The approved plan against the clock, done steps read from the log."""
    return board(approval, t0, entries(crisis_id), now)


def mark_done(crisis_id: str, step: str) -> Marked:
    """Log a step of the approved plan as done, as the signed-in operator (writing roles only).

    Raises:
        Forbidden: the role may not write to the crisis log.
    """
    with acting("note") as svc:
        return mark_task(svc, crisis_id, step, author=operator())


# --- examples ---------------------------------------------------------------------------


def examples() -> dict[str, Event]:
    """The shipped example events by file stem."""
    return {p.stem: event_from_file(p) for p in sorted(EXAMPLES_DIR.glob("*.yaml"))}


def facts_yaml(facts: dict[str, Any]) -> str:
    """Facts as the YAML the operator edits."""
    return yaml.safe_dump(facts, sort_keys=False, allow_unicode=True) if facts else ""


def parse_facts(text: str) -> dict[str, Any]:
    """Facts typed by the operator (YAML mapping); raises ValueError with what is wrong."""
    if not text.strip():
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"facts are not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("facts must be a YAML mapping, e.g. 'casualties: {deaths: 0}'")
    return data


# --- archive ----------------------------------------------------------------------------


def _archive() -> Archive:
    """The incident archive (``agent.archive``), loaded from the shipped history on first use."""
    return Archive(settings())


def archive_count() -> int:
    """How many incidents the archive holds (whatever the operator's clearance)."""
    return _archive().count()


def archive_sites() -> list[str]:
    """Every site named in the archive."""
    return _archive().sites()


def search_incidents(
    *,
    family: str | None,
    site: str | None,
    since: datetime | None,
    until: datetime | None,
    text: str | None,
) -> tuple[list[Incident], int]:
    """The matching incidents the operator's clearance may see, and how many it hides."""
    return _archive().search(
        Clearance.parse(clearance()), family=family, site=site, since=since, until=until,
        text=text,
    )


def incident(incident_id: str) -> Incident | None:
    """One incident, if the operator's clearance may see it."""
    return _archive().get(incident_id, Clearance.parse(clearance()))


# --- SOP editing ------------------------------------------------------------------------


def _visible() -> list[tuple[str, Sop | None, int]]:
    held = Clearance.parse(clearance())
    return [(sop.id, *visible_sop(sop, held)) for sop in pack().sops]


def visible_sops() -> list[Sop]:
    """The SOPs as the operator's clearance may see them (hidden steps removed)."""
    return [sop for _, sop, _ in _visible() if sop is not None]


def hidden_sop_steps() -> dict[str, int]:
    """How many steps of each SOP the operator's clearance hides (0: none)."""
    return {sop_id: hidden for sop_id, _, hidden in _visible()}


def text_hash(text: str) -> str:
    """A short hash of editor text, to know whether it changed since it was linted."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sop_file(sop_id: str) -> Path | None:
    """The pack file that holds an SOP (by id, then by file name)."""
    root = settings().sops_dir
    for path in pack_files(root):
        if path.name in KIND_FILES.values():
            continue
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and data.get("id") == sop_id:
            return path
    return None


def target_file(text: str) -> Path:
    """Where editor text is saved: the file of the SOP with its id, else ``<id>.yaml``.

    Raises:
        ValueError: the text has no usable ``id``.
    """
    try:
        data = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        data = None
    sop_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(sop_id, str) or not sop_id.replace("-", "").isalnum():
        raise ValueError("the SOP needs a valid 'id' (e.g. SOP-IND-TOX-001) to be saved")
    return sop_file(sop_id) or settings().sops_dir / f"{sop_id}.yaml"


def lint_sop_text(text: str, file_name: str) -> list[Finding]:
    """Lint editor text as ``file_name`` next to copies of the pack's registries and SOPs.

    Nothing in the pack is touched: the text and the copies live in a temporary directory.
    """
    root = settings().sops_dir
    with tempfile.TemporaryDirectory(prefix="crisiscell-sop-") as tmp:
        folder = Path(tmp)
        for path in sorted(root.iterdir()):
            if path.is_file() and path.name != file_name:
                (folder / path.name).write_bytes(path.read_bytes())
        draft = folder / file_name
        draft.write_text(text, "utf-8")
        findings = lint_paths([draft])
    return [Finding(root / f.file.name, f.line, f.key, f.message, f.code) for f in findings]


def save_sop_text(text: str, path: Path) -> None:
    """Write a lint-clean SOP into the pack (SOP authors and admins only), logged, then reload.

    An approved SOP is never changed in place: the save must raise its version, a new
    approved version names another approver, and the replaced text is kept
    (:mod:`agent.pack.revisions`).

    Raises:
        Forbidden: the signed-in role may not edit SOPs; nothing is written.
        InputError: the save would change an approved SOP in place; nothing is written.
    """
    who = identity()
    who.require("edit_sops")
    old_text = path.read_text("utf-8") if path.is_file() else None
    old, new = _sop_or_none(old_text), _sop_or_none(text)
    if new is not None and (problem := revision_problem(old, new, who.name)):
        raise InputError(problem)
    kept = keep_previous(old_text, old, settings().home) if old and old_text else None
    path.write_text(text, "utf-8")
    audit(
        "sop_saved", file=path.name, sha256=text_hash(text),
        **_versions(old, new, kept),
    )
    forget_deps()


def _sop_or_none(text: str | None) -> Sop | None:
    """The SOP a text holds, or None (another kind of pack file, or no file yet)."""
    if text is None:
        return None
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or "steps" not in data:
        return None
    return Sop.model_validate(data)


def _versions(old: Sop | None, new: Sop | None, kept: Path | None) -> dict[str, str]:
    out = {"version": new.version if new else "", "replaces": old.version if old else ""}
    if new is not None and new.approved_by:
        out["approved_by"] = new.approved_by
    if kept is not None:
        out["previous_kept_at"] = str(kept)
    return out


# --- evaluations ------------------------------------------------------------------------


def eval_runs(list_runs: Callable[..., list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Stored eval runs, newest first (``evals.store.list_runs``)."""
    return list_runs(settings(), limit=50)


def eval_run(load_run: Callable[..., Any], run_id: str) -> Any:
    """One stored run's summary and results (``evals.store.load_run``)."""
    return load_run(settings(), run_id)


# --- status -----------------------------------------------------------------------------


def probe_llm(timeout_s: float = 15.0) -> tuple[bool, str]:
    """One small structured-output round trip, as ``crisiscell llm check`` does."""
    from agent.llm.calls import MemoryRecorder
    from agent.llm.openai_compatible import OpenAICompatibleLLM
    from agent.llm.send_policy import unwrap

    s = settings()
    try:
        llm = unwrap(make_llm(s, recorder=MemoryRecorder()))
    except CrisisCellError as exc:
        return False, f"{s.llm} is not configured correctly: {exc}"
    if not isinstance(llm, OpenAICompatibleLLM):
        return True, f"{llm.name}: deterministic rules, always answers (no network)"
    probe = llm.probe(timeout_s)
    where = probe.base_url or "the provider's default endpoint"
    if not probe.answered:
        return False, f"{probe.model} at {where} did not answer: {probe.error}"
    if not probe.structured:
        return False, (
            f"{probe.model} answered in {probe.latency_ms:.0f} ms but structured output "
            f"(function calling) failed: {probe.error}"
        )
    return True, (
        f"{probe.model} at {where} answered in {probe.latency_ms:.0f} ms with a valid tool call"
    )
