"""Read the shipped incident archive (``history/``) and load it into an empty store.

``history/incidents/*.yaml`` holds one incident per file (a mapping), or a list
of incidents, or several ``---`` documents; ``history/*.jsonl`` holds one JSON
incident per line. Every file is validated before anything is loaded, and every
problem is reported as ``file:line: key.path: message``, the pack linter's format.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError
from sqlalchemy import Engine
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from agent.domain import ActionTaken, Incident, ScenarioStep
from agent.errors import ConfigError
from agent.pack.yamlpos import dotted
from agent.store.db import init_db
from agent.store.incidents import IncidentRepository, UpsertResult

if TYPE_CHECKING:
    from agent.guard.matcher import Guard

MODEL_TEXT_MARK = "[unvetted model text] "
"""Opens every archived action that is not an SOP's own words (model or operator-accepted)."""

Loc = Sequence[str | int]


@dataclass(frozen=True)
class Finding:
    """One problem in one archive file."""

    file: Path
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path or '<root>'}: {self.message}"


@dataclass(frozen=True)
class _Parsed:
    """One incident candidate: its data, where it starts and how to locate its keys."""

    data: Any
    line: int
    node: Node | None = None
    prefix: tuple[int, ...] = ()


def history_files(path: Path) -> list[Path]:
    """The archive files of a history directory, in a stable order."""
    incidents_dir = path / "incidents"
    yamls = [*incidents_dir.rglob("*.yaml"), *incidents_dir.rglob("*.yml")]
    return sorted(yamls) + sorted(path.rglob("*.jsonl"))


def read_history_dir(path: Path) -> list[Incident]:
    """Read and validate every incident file under ``path``.

    Raises:
        ConfigError: one or more files are bad; the message lists every finding,
            and nothing is returned, so a half-broken archive is never loaded.
    """
    return [incident for _, incident in read_history_files(path)]


def read_history_files(path: Path) -> list[tuple[Path, Incident]]:
    """Like :func:`read_history_dir`, with the file each incident comes from.

    Raises:
        ConfigError: one or more files are bad (every finding is listed).
    """
    incidents: list[tuple[Path, Incident]] = []
    findings: list[Finding] = []
    seen: dict[str, Finding] = {}
    for file in history_files(path):
        for parsed in _parse_file(file, findings):
            incident = _validate(file, parsed, findings)
            if incident is not None and not _duplicate(file, parsed, incident, seen, findings):
                incidents.append((file, incident))
    if findings:
        lines = "\n".join(str(f) for f in findings)
        raise ConfigError(f"{len(findings)} error(s) in the incident archive {path}:\n{lines}")
    return incidents


def _parse_file(file: Path, findings: list[Finding]) -> list[_Parsed]:
    """The incident candidates of one file; unreadable files add a finding instead."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        findings.append(Finding(file, 1, "", f"cannot read: {exc}"))
        return []
    if file.suffix == ".jsonl":
        return list(_parse_jsonl(file, text, findings))
    return _parse_yaml(file, text, findings)


def _parse_jsonl(file: Path, text: str, findings: list[Finding]) -> Iterator[_Parsed]:
    """One candidate per non-blank line of a JSON Lines file."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _Parsed(json.loads(line), number)
        except json.JSONDecodeError as exc:
            findings.append(Finding(file, number, "", f"invalid JSON: {exc.msg}"))


def _parse_yaml(file: Path, text: str, findings: list[Finding]) -> list[_Parsed]:
    """The candidates of a YAML file: a mapping, a list, or several documents of either."""
    loader = yaml.SafeLoader(text)
    parsed: list[_Parsed] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            parsed.extend(_candidates(node, loader.construct_document(node)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "; ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        findings.append(Finding(file, mark.line + 1 if mark else 1, "", message))
        return []
    except (yaml.YAMLError, ValueError) as exc:
        findings.append(Finding(file, 1, "", f"invalid YAML: {exc}"))
        return []
    finally:
        loader.dispose()
    if not parsed:
        findings.append(Finding(file, 1, "", "the file holds no incident"))
    return parsed


def _candidates(node: Node, data: Any) -> list[_Parsed]:
    """One candidate per incident of a YAML document (a list gives several)."""
    if isinstance(node, SequenceNode) and isinstance(data, list):
        return [
            _Parsed(item, child.start_mark.line + 1, node, (index,))
            for index, (child, item) in enumerate(zip(node.value, data, strict=True))
        ]
    return [_Parsed(data, node.start_mark.line + 1, node)]


def _validate(file: Path, parsed: _Parsed, findings: list[Finding]) -> Incident | None:
    """The incident, or ``None`` after adding one finding per validation error."""
    try:
        return Incident.model_validate(parsed.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = (*parsed.prefix, *error["loc"])
            line = line_of(parsed.node, loc) if parsed.node is not None else parsed.line
            findings.append(Finding(file, line, dotted(loc), error["msg"]))
        return None


def _duplicate(
    file: Path,
    parsed: _Parsed,
    incident: Incident,
    seen: dict[str, Finding],
    findings: list[Finding],
) -> bool:
    """Whether the id was already read; records a finding naming the first place."""
    line = line_of(parsed.node, (*parsed.prefix, "id")) if parsed.node else parsed.line
    here = Finding(file, line, dotted((*parsed.prefix, "id")), "")
    first = seen.setdefault(incident.id, here)
    if first is here:
        return False
    message = f"duplicate id {incident.id!r} (first in {first.file}:{first.line})"
    findings.append(Finding(file, line, here.path, message))
    return True


def line_of(node: Node | None, loc: Loc) -> int:
    """The 1-based line of key path ``loc`` in a YAML node tree, or of its nearest ancestor."""
    if node is None:
        return 1
    line = node.start_mark.line
    for part in loc:
        found = _child(node, part)
        if found is None:
            break
        line, node = found
    return line + 1


def _child(node: Node, part: str | int) -> tuple[int, Node] | None:
    """The line (0-based) of a key or list item below ``node``, and its value node."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(part):
                return key.start_mark.line, value
    if isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: Node = node.value[part]
        return item.start_mark.line, item
    return None


def ensure_archive(engine: Engine, history_dir: Path) -> int:
    """Load the shipped archive into the store if the store holds no incident yet.

    Returns:
        How many incidents were added (0 when the store was not empty or there is
        no archive directory).

    Raises:
        ConfigError: the archive has bad files (nothing is loaded).
        StoreError: the store cannot be written.
    """
    init_db(engine)
    if IncidentRepository(engine).count() > 0 or not history_dir.is_dir():
        return 0
    return load_history(engine, history_dir).added


def load_history(engine: Engine, history_dir: Path) -> UpsertResult:
    """Validate the whole archive, then upsert it file by file (idempotent).

    Raises:
        ConfigError: the directory is missing or has bad files (nothing is loaded).
        StoreError: the store cannot be written.
    """
    if not history_dir.is_dir():
        raise ConfigError(f"history directory not found: {history_dir}")
    by_file: dict[Path, list[Incident]] = {}
    for file, incident in read_history_files(history_dir):
        by_file.setdefault(file, []).append(incident)
    repository = IncidentRepository(engine)
    totals = UpsertResult()
    for file, incidents in by_file.items():
        result = repository.upsert(incidents, source=_relative(file, history_dir))
        totals = totals + result
    return totals


def _relative(file: Path, root: Path) -> str:
    """``file`` relative to the archive's parent, e.g. ``history/incidents/x.yaml``."""
    try:
        return file.relative_to(root.parent).as_posix()
    except ValueError:
        return file.as_posix()


def archived_action(step: ScenarioStep) -> ActionTaken:
    """An approved plan step as an archive action; text not from an SOP is marked as such.

    Marked actions carry no action type, so a later plan never turns them into an off-SOP
    step of its own; it may still match them to an SOP step, whose own words are used.
    """
    if step.sop_id and not step.off_sop:
        return ActionTaken(text=step.action, action_type=step.action_type, at=step.deadline)
    return ActionTaken(text=MODEL_TEXT_MARK + step.action, at=step.deadline)


def recheck_archived(incidents: Sequence[Incident], guard: Guard) -> list[Incident]:
    """Incidents as read back for planning: marked model text is re-checked by the guard.

    A marked action the guard flags is dropped; the rest stay marked and untyped, whatever
    the store or an imported file says.
    """
    return [_rechecked(incident, guard) for incident in incidents]


def _rechecked(incident: Incident, guard: Guard) -> Incident:
    kept: list[ActionTaken] = []
    for action in incident.actions:
        if not action.text.startswith(MODEL_TEXT_MARK):
            kept.append(action)
        elif guard.check(action.text[len(MODEL_TEXT_MARK) :]) is None:
            kept.append(action.model_copy(update={"action_type": None}))
    if len(kept) == len(incident.actions) and kept == incident.actions:
        return incident
    return incident.model_copy(update={"actions": kept})
