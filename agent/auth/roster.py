"""The operator roster: one YAML file listing who may sign in, with role and clearance.

A site without an identity provider signs operators in against it; a site with one
maps the provider's email or subject to an entry, so role and clearance always come
from here, never from a widget.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.auth.errors import RosterError
from agent.rules.need_to_know import Clearance

Role = Literal["operator", "observer", "sop_author", "admin"]
ROLES: tuple[Role, ...] = ("operator", "observer", "sop_author", "admin")
ROSTER_ENV = "CRISISCELL_ROSTER"
ROSTER_FILE = "roster.yaml"
HEADER = "# crisiscell operator roster: edit with `crisiscell roster add` (hashes only)\n"


class Operator(BaseModel):
    """One person who may sign in."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80, pattern=r"^[\w.@-]+$")
    """Sign-in name, recorded as the author of everything they do."""
    role: Role = "observer"
    clearance: str = "internal"
    """Need-to-know clearance, e.g. ``restricted:ops``."""
    password_hash: str | None = None
    """argon2 hash for the local sign-in; none for provider-only accounts."""
    email: str | None = None
    """Matched against the identity provider's ``email`` claim."""
    subject: str | None = None
    """Matched against the provider's ``sub`` claim (wins over email)."""

    @field_validator("clearance")
    @classmethod
    def _valid_clearance(cls, value: str) -> str:
        return str(Clearance.parse(value))


class Roster(BaseModel):
    """The whole roster file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    operators: list[Operator] = Field(default_factory=list)

    def find(self, name: str) -> Operator | None:
        """The entry with this sign-in name (case-insensitive), if any."""
        wanted = name.strip().casefold()
        return next((o for o in self.operators if o.name.casefold() == wanted), None)

    def upsert(self, entry: Operator) -> Roster:
        """A copy with ``entry`` added, or replacing the entry of the same name."""
        others = [o for o in self.operators if o.name.casefold() != entry.name.casefold()]
        return self.model_copy(update={"operators": [*others, entry]})


def roster_path(home: Path) -> Path:
    """``CRISISCELL_ROSTER`` if set, else ``roster.yaml`` beside the database (``<home>``)."""
    configured = os.environ.get(ROSTER_ENV, "").strip()
    return Path(configured) if configured else home / ROSTER_FILE


def load_roster(path: Path) -> Roster | None:
    """The roster at ``path``, or ``None`` when there is no file (single-user mode).

    Raises:
        RosterError: the file exists but is not a valid roster.
    """
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        return Roster.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise RosterError(f"{path}: cannot read the roster: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RosterError(f"{path}: {where}: {first['msg']}") from None


def save_roster(roster: Roster, path: Path) -> None:
    """Write the roster, readable and writable by its owner only (it holds hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = roster.model_dump(mode="json", exclude_none=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
