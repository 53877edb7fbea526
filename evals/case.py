"""The eval case: one past crisis to replay, in the pydantic-evals ``Case`` shape.

A case file is YAML validated by :class:`EvalCase` (``extra="forbid"`` everywhere);
``evals/case.schema.json`` is generated from it, and every case file starts with::

    # yaml-language-server: $schema=../case.schema.json
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from agent.domain import ActionTaken, Model
from agent.errors import ConfigError
from agent.pack.models import ActionType, CategoryCode, SeverityLevel

CASE_SCHEMA = "case.schema.json"
"""File name of the generated case schema, at the root of ``evals/``."""
CaseName = str
Difficulty = Literal["easy", "medium", "hard"]
DEFAULT_T0 = datetime(2000, 1, 1, tzinfo=UTC)
"""T0 of a replay when the case gives none: fixed, so replays are deterministic."""


class Update(Model):
    """Information that arrived after T0, in the order it arrived."""

    at: timedelta = Field(description="Offset from T0 (ISO 8601 duration, e.g. PT30M).")
    text: str | None = Field(default=None, description="New text, appended to the report.")
    facts: dict[str, Any] = Field(
        default_factory=dict, description="New or corrected facts, deep-merged into the known."
    )
    hindsight: bool = Field(
        default=False,
        description="Known only in hindsight (e.g. an archive incident's recorded outcome): "
        "replayed after every other update; only the final-state metrics (severity) read it.",
    )


class CaseInputs(Model):
    """The report as known at T0, then the timed updates."""

    text: str = Field(min_length=1, description="The initial report, as known at T0.")
    site: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    language: Literal["en", "fr"] | None = None
    reported_at: datetime | None = Field(default=None, description="T0; a fixed date if unset.")
    updates: list[Update] = Field(default_factory=list)

    @model_validator(mode="after")
    def _hindsight_comes_last(self) -> CaseInputs:
        """A hindsight update may not precede a live one: live metrics stop before it."""
        live = [u.at for u in self.updates if not u.hindsight]
        late = [u.at for u in self.updates if u.hindsight]
        if live and late and min(late) < max(live):
            raise ValueError("a hindsight update comes before a live update")
        return self

    def ordered_updates(self) -> list[Update]:
        """The updates in replay order: live ones by offset, then hindsight ones."""
        return sorted(self.updates, key=lambda u: (u.hindsight, u.at))


class ForbiddenAction(Model):
    """An action that must never be suggested for this case."""

    text: str = Field(min_length=3)
    action_type: ActionType | None = None
    why: str | None = None


class CaseExpected(Model):
    """What really happened, to score the replay against."""

    category: CategoryCode | None = Field(default=None, description="None: not scored.")
    also_accept: list[CategoryCode] = Field(
        default_factory=list, description="Other codes counted as right (documented per suite)."
    )
    severity: SeverityLevel | None = None
    precedents: list[str] = Field(default_factory=list, description="Incident ids.")
    actions: list[ActionTaken] = Field(default_factory=list, description="Actions really taken.")
    forbidden: list[ForbiddenAction] = Field(default_factory=list)


class CaseMetadata(Model):
    """Where the case comes from and how hard it is."""

    source: str
    difficulty: Difficulty = "medium"
    tags: list[str] = Field(default_factory=list)
    incident_id: str | None = Field(
        default=None, description="Archive incident this case replays; hidden during its replay."
    )
    notes: str | None = None


class EvalCase(Model):
    """One past crisis to replay: ``name``, ``inputs``, ``expected``, ``metadata``."""

    name: CaseName = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    inputs: CaseInputs
    expected: CaseExpected = Field(default_factory=CaseExpected)
    metadata: CaseMetadata

    @property
    def hidden_ids(self) -> list[str]:
        """Incident ids retrieval must not see while this case is replayed."""
        ids = [self.name, self.metadata.incident_id]
        return sorted({i for i in ids if i})


def load_case(path: Path) -> EvalCase:
    """Read and validate one case file.

    Raises:
        ConfigError: unreadable YAML or a validation error (file and key path named).
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return EvalCase.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the case: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "<root>"
        raise ConfigError(f"{path}: {where}: {first['msg']}") from exc


def load_cases(directory: Path) -> list[EvalCase]:
    """Every ``*.yaml`` case under ``directory``, sorted by file name.

    Raises:
        ConfigError: a case is invalid, or two cases share a name.
    """
    cases = [load_case(p) for p in sorted(directory.glob("*.yaml"))]
    names = [c.name for c in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{directory}: duplicate case names: {', '.join(duplicates)}")
    return cases


def dump_case(case: EvalCase, schema_ref: str = f"../{CASE_SCHEMA}") -> str:
    """A case as YAML text, opening with the schema line editors read."""
    data = json.loads(case.model_dump_json(exclude_defaults=True))
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"
