"""Generate the JSON Schemas of every YAML kind, and tell when committed ones are stale.

The schemas are generated from the pydantic models (never written by hand),
with stable formatting (indent 2, sorted keys, trailing newline), so editors
can validate pack files (``# yaml-language-server: $schema=sop.schema.json``)
and a test can fail when a model changes without regenerating them.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from agent.domain import Incident
from agent.pack.models import (
    FactRegistry,
    Lexicon,
    NeverList,
    SeverityScale,
    SiteRegistry,
    Sop,
    Taxonomy,
)
from agent.settings import PROJECT_ROOT

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PACK_SCHEMAS: dict[str, type[BaseModel]] = {
    "sop.schema.json": Sop,
    "taxonomy.schema.json": Taxonomy,
    "severity_scale.schema.json": SeverityScale,
    "sites.schema.json": SiteRegistry,
    "facts.schema.json": FactRegistry,
    "lexicon.schema.json": Lexicon,
    "never.schema.json": NeverList,
}
"""File name in the pack directory -> the model it is generated from."""
INCIDENT_SCHEMA = "incident.schema.json"
"""File name of the incident archive schema, in the history directory."""


def render_schema(model: type[BaseModel]) -> str:
    """The JSON Schema of a model as stable text (by alias, sorted keys, indent 2)."""
    schema = {"$schema": JSON_SCHEMA_DIALECT, **model.model_json_schema(by_alias=True)}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_schemas(sops_dir: Path, history_dir: Path | None = None) -> dict[Path, str]:
    """Every schema file that should exist, with its freshly generated text."""
    files = {sops_dir / name: render_schema(model) for name, model in PACK_SCHEMAS.items()}
    if history_dir is not None:
        files[history_dir / INCIDENT_SCHEMA] = render_schema(Incident)
    return files


def write_schemas(dir: Path) -> list[Path]:
    """Write the pack schemas into ``dir`` (created if needed); return their paths."""
    return _write(expected_schemas(dir))


def write_incident_schema(dir: Path) -> Path:
    """Write ``incident.schema.json`` (from :class:`agent.domain.Incident`) into ``dir``."""
    path = dir / INCIDENT_SCHEMA
    _write({path: render_schema(Incident)})
    return path


def check_schemas(sops_dir: Path, history_dir: Path | None = None) -> list[Path]:
    """The schema files that are missing or differ from freshly generated ones."""
    return [
        path
        for path, text in expected_schemas(sops_dir, history_dir).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def _write(files: dict[Path, str]) -> list[Path]:
    """Write each text to its path, creating folders; LF line endings everywhere."""
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return list(files)


SUGGESTION_SCHEMA_PATH = PROJECT_ROOT / "docs" / "suggestion.schema.json"
"""The documented, stable JSON shape of ``crisiscell suggest --json``."""


def write_suggestion_schema(path: Path = SUGGESTION_SCHEMA_PATH) -> Path:
    """Write the Suggestion schema (the CLI's JSON output) for integrators."""
    from agent.domain import Suggestion

    _write({path: render_schema(Suggestion)})
    return path


def check_suggestion_schema(path: Path = SUGGESTION_SCHEMA_PATH) -> bool:
    """True when the committed Suggestion schema equals a fresh one."""
    from agent.domain import Suggestion

    return path.is_file() and path.read_text(encoding="utf-8") == render_schema(Suggestion)
