"""Typed errors, so callers (CLI, console, evals) can react without parsing strings.

Hierarchy::

    CrisisCellError
    ├── ConfigError            the author's fault: a broken SOP pack, bad settings
    │   └── PackError          one or more lint findings in a YAML pack
    ├── InputError             a malformed event (empty, binary, too large, unknown site)
    │   ├── NotVisible         a record above the caller's clearance (nothing of it is shown)
    │   └── DecisionConflict   another operator decided on this crisis first
    ├── StoreError             the SQL store cannot be read or written
    │   └── ImportMappingError a history import whose field mapping does not fit the file
    ├── LLMError               anything that went wrong behind the LLM seam
    │   ├── LLMUnavailable     transient: timeout, refused connection, 429/5xx
    │   └── LLMBadOutput       the model answered, but not with something we can use
    └── RuleViolation          a scenario that fails the deterministic SOP checks
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.pack.lint import Finding


class CrisisCellError(Exception):
    """Base of every error crisiscell raises on purpose."""

    exit_code = 1


class ConfigError(CrisisCellError):
    """A configuration or pack problem that the author must fix."""

    exit_code = 3


class PackError(ConfigError):
    """A YAML pack failed to lint; carries every finding, not only the first."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = "\n".join(str(f) for f in findings)
        super().__init__(f"{len(findings)} error(s) in the pack:\n{lines}")


class InputError(CrisisCellError):
    """The event given to crisiscell cannot be processed as it is."""

    exit_code = 2


class NotVisible(InputError):
    """A record the caller's clearance may not see; the message names only its id."""

    exit_code = 7


class DecisionConflict(InputError):
    """Someone decided on the crisis after the state this decision was based on was read."""

    exit_code = 8


class StoreError(CrisisCellError):
    """The SQL store failed."""

    exit_code = 4


class ImportMappingError(StoreError):
    """A history import mapping names columns the file does not have."""


class LLMError(CrisisCellError):
    """Something went wrong behind the LLM seam."""

    exit_code = 5


class LLMUnavailable(LLMError):
    """Transient failure: retry, then fall back to the offline backend."""


class LLMBadOutput(LLMError):
    """The model answered with something that is not usable."""


class RuleViolation(CrisisCellError):
    """A scenario breaks the SOPs in a way repair could not fix."""

    exit_code = 6
