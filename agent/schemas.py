"""The JSON Schemas crisiscell publishes, and which committed ones are stale.

The pack's schemas (:mod:`agent.pack.schema`) plus the domain's: the incident
archive's (``incident.schema.json``) and the output of ``suggest --json``
(``docs/suggestion.schema.json``). It lives above both the pack and the domain so
that neither imports the other; ``crisiscell sops schema`` writes and checks them.
"""

from __future__ import annotations

from pathlib import Path

from agent.domain import Incident, Suggestion
from agent.pack.schema import pack_schemas, render_schema, write_files
from agent.settings import PROJECT_ROOT

INCIDENT_SCHEMA = "incident.schema.json"
"""File name of the incident archive schema, in the history directory."""
SUGGESTION_SCHEMA_PATH = PROJECT_ROOT / "docs" / "suggestion.schema.json"
"""The documented, stable JSON shape of ``crisiscell suggest --json``."""


def expected_schemas(sops_dir: Path, history_dir: Path | None = None) -> dict[Path, str]:
    """Every schema file that should exist, with its freshly generated text."""
    files = pack_schemas(sops_dir)
    if history_dir is not None:
        files[history_dir / INCIDENT_SCHEMA] = render_schema(Incident)
    return files


def check_schemas(sops_dir: Path, history_dir: Path | None = None) -> list[Path]:
    """The schema files that are missing or differ from freshly generated ones."""
    return [
        path
        for path, text in expected_schemas(sops_dir, history_dir).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def write_incident_schema(dir: Path) -> Path:
    """Write ``incident.schema.json`` (from :class:`agent.domain.Incident`) into ``dir``."""
    path = dir / INCIDENT_SCHEMA
    write_files({path: render_schema(Incident)})
    return path


def write_suggestion_schema(path: Path = SUGGESTION_SCHEMA_PATH) -> Path:
    """Write the Suggestion schema (the CLI's JSON output) for integrators."""
    write_files({path: render_schema(Suggestion)})
    return path


def check_suggestion_schema(path: Path = SUGGESTION_SCHEMA_PATH) -> bool:
    """True when the committed Suggestion schema equals a fresh one."""
    return path.is_file() and path.read_text(encoding="utf-8") == render_schema(Suggestion)
