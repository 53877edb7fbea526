"""Versioned prompt files: ``<name>.v<N>.md``, loaded with their id and sha256.

A prompt is never edited in place once shipped: a change is a new version
(``categorise.v2.md``), so the id and hash recorded with every call say exactly
which instructions the model saw. The facts go in the user message as JSON,
built by :mod:`agent.llm.facts`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agent.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Prompt:
    """A system prompt with its id (``categorise.v1``) and content hash."""

    id: str
    text: str
    sha256: str

    @property
    def ref(self) -> str:
        """``id@hash`` (12 hex digits) for lineage."""
        return f"{self.id}@{self.sha256[:12]}"


@cache
def load_prompt(prompt_id: str) -> Prompt:
    """The prompt ``<prompt_id>.md`` of this directory.

    Raises:
        ConfigError: no such prompt file.
    """
    path = PROMPTS_DIR / f"{prompt_id}.md"
    if not path.is_file():
        raise ConfigError(f"no prompt file {path.name} in {PROMPTS_DIR}")
    data = path.read_bytes()
    return Prompt(prompt_id, data.decode("utf-8"), hashlib.sha256(data).hexdigest())
