"""The console's only door to ``agent``: settings, the crisis service, the pack, the stores.

Pages call these thin functions and render what comes back; no decision is taken
here that the service, the rules or the stores do not already take.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from agent.auth import audit as audit_log
from agent.auth.errors import AuthError
from agent.auth.identity import Action, Identity
from agent.context import Deps
from agent.crisis.notices import Marked, NoticeClock, clocks
from agent.crisis.notices import mark_notified as mark_notice
from agent.crisis.service import CrisisResult, CrisisService
from agent.crisis.streaming import NodeProgress, streaming
from agent.domain import Event, Incident, NotificationDue
from agent.errors import CrisisCellError
from agent.event_input import event_from_file
from agent.llm.factory import make_llm
from agent.pack import Pack
from agent.pack.lint import Finding
from agent.pack.loader import KIND_FILES, lint_paths, pack_files
from agent.pack.models import Sop
from agent.rules.need_to_know import Clearance, visible_sop
from agent.settings import PROJECT_ROOT, Settings
from agent.store.archive import ensure_archive
from agent.store.crisis_log import Crisis, LogEntry
from agent.store.db import engine_for
from agent.store.incidents import IncidentRepository
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


@st.cache_resource(show_spinner=False)
def _deps(llm: str, sops_dir: str, history_dir: str, db_url: str) -> Deps:
    return Deps(llm=make_llm(Settings()), settings=Settings())


def deps() -> Deps:
    """The pack, archive and LLM, built once per configuration and shared by every session."""
    s = settings()
    return _deps(s.llm, str(s.sops_dir), str(s.history_dir), s.db_url)


def forget_deps() -> None:
    """Drop the cached pack and archive (after the pack changed on disk)."""
    _deps.clear()


def pack() -> Pack:
    """The loaded SOP pack."""
    return deps().pack


@contextmanager
def service() -> Iterator[CrisisService]:
    """A crisis service for one read, as the signed-in operator with their clearance."""
    d = deps()
    who = identity()
    svc = CrisisService(
        d.settings.model_copy(update={"clearance": who.clearance, "operator": who.name}), deps=d
    )
    try:
        yield svc
    finally:
        svc.close_resources()


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


def incidents() -> IncidentRepository:
    """The incident archive, loaded from the shipped history on first use."""
    s = settings()
    engine = engine_for(s)
    ensure_archive(engine, s.history_dir)
    return IncidentRepository(engine)


def archive_sites() -> list[str]:
    """Every site named in the archive."""
    return sorted({i.site for i in incidents().all() if i.site})


def incident(incident_id: str) -> Incident | None:
    """One incident."""
    return incidents().get(incident_id)


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

    Raises:
        Forbidden: the signed-in role may not edit SOPs; nothing is written.
    """
    identity().require("edit_sops")
    path.write_text(text, "utf-8")
    audit("sop_saved", file=path.name, sha256=text_hash(text))
    forget_deps()


# --- evaluations ------------------------------------------------------------------------


def eval_runs(list_runs: Callable[..., list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Stored eval runs, newest first (``evals.store.list_runs``)."""
    return list_runs(engine_for(settings()), limit=50)


def eval_run(load_run: Callable[..., Any], run_id: str) -> Any:
    """One stored run's summary and results (``evals.store.load_run``)."""
    return load_run(engine_for(settings()), run_id)


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
