"""Generate the JSON Schemas of every pack YAML kind, as stable text.

The schemas are generated from the pydantic models (never written by hand),
with stable formatting (indent 2, sorted keys, trailing newline), so editors
can validate pack files (``# yaml-language-server: $schema=sop.schema.json``)
and a test can fail when a model changes without regenerating them. The
domain's schemas (incidents, ``suggest --json``) are rendered the same way by
:mod:`agent.schemas`, which sits above both the pack and the domain.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from agent.pack.models import (
    FactRegistry,
    Lexicon,
    NeverList,
    SeverityScale,
    SiteRegistry,
    Sop,
    Taxonomy,
)

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


def render_schema(model: type[BaseModel]) -> str:
    """The JSON Schema of a model as stable text (by alias, sorted keys, indent 2)."""
    schema = {"$schema": JSON_SCHEMA_DIALECT, **model.model_json_schema(by_alias=True)}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def pack_schemas(sops_dir: Path) -> dict[Path, str]:
    """Every schema file the pack directory should hold, with its freshly generated text."""
    return {sops_dir / name: render_schema(model) for name, model in PACK_SCHEMAS.items()}


def write_schemas(dir: Path) -> list[Path]:
    """Write the pack schemas into ``dir`` (created if needed); return their paths."""
    return write_files(pack_schemas(dir))


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write each text to its path, creating folders; LF line endings everywhere."""
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return list(files)
