"""The console's only door to ``agent``: settings, the crisis service, the pack, the stores.

Pages call these thin functions and render what comes back; no decision is taken
here that the service, the rules or the stores do not already take.
"""

from __future__ import annotations

import getpass
import hashlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from agent.context import Deps
from agent.crisis.service import CrisisResult, CrisisService
from agent.crisis.streaming import NodeProgress, streaming
from agent.domain import Event, Incident
from agent.errors import CrisisCellError
from agent.event_input import event_from_file
from agent.llm.factory import make_llm
from agent.pack import Pack
from agent.pack.lint import Finding
from agent.pack.loader import KIND_FILES, lint_paths, pack_files
from agent.settings import PROJECT_ROOT, Settings
from agent.store.archive import ensure_archive
from agent.store.crisis_log import Crisis, LogEntry
from agent.store.db import engine_for
from agent.store.incidents import IncidentRepository
from ui.state import StateKeys

EXAMPLES_DIR = PROJECT_ROOT / "examples" / "events"


# --- settings, operator, clearance ------------------------------------------------------


def settings() -> Settings:
    """Settings from the environment and ``crisiscell.toml``, read on every rerun."""
    return Settings()


def operator() -> str:
    """Who is deciding: the console's operator, else ``CRISISCELL_OPERATOR``, else the OS user."""
    name = st.session_state.get(StateKeys.OPERATOR)
    return str(name or settings().operator or getpass.getuser())


def clearance() -> str:
    """The operator's clearance for this session, else ``CRISISCELL_CLEARANCE``."""
    return str(st.session_state.get(StateKeys.CLEARANCE) or settings().clearance)


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
    """A crisis service for one action, closed afterwards."""
    d = deps()
    svc = CrisisService(d.settings, deps=d)
    try:
        yield svc
    finally:
        svc.close_resources()


def run_streamed(
    action: Callable[[CrisisService], CrisisResult], on_node: Callable[[NodeProgress], None]
) -> CrisisResult:
    """Run a service action, reporting every graph node it finishes to ``on_node``."""
    with service() as svc, streaming(svc, on_node) as streamed:
        return action(streamed)


# --- crises -----------------------------------------------------------------------------


def crises() -> list[Crisis]:
    """Every crisis, newest first."""
    with service() as svc:
        return svc.log.crises()


def current(crisis_id: str) -> CrisisResult:
    """Where a crisis stands."""
    with service() as svc:
        return svc.current(crisis_id)


def entries(crisis_id: str) -> list[LogEntry]:
    """The crisis log, oldest first."""
    with service() as svc:
        return svc.log.entries(crisis_id)


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
    """Write a lint-clean SOP into the pack and forget the cached pack."""
    path.write_text(text, "utf-8")
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

    s = settings()
    try:
        llm = make_llm(s, recorder=MemoryRecorder())
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
