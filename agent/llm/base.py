"""The LLM seam: the small protocol every backend implements.

The graph depends on this protocol only, never on a vendor SDK. Requests carry
just the facts a step needs (the event, the taxonomy codes, the selected SOP
steps, the top precedents), never the whole archive. Backends return our pydantic
models; anything they get wrong is caught by the deterministic nodes after them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from agent.domain import Category, Event, Precedent, Scenario, Severity, Usage, Violation
from agent.pack.models import Sop, Taxonomy


class CategoriseRequest(BaseModel):
    """What the categorisation step may see."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    event: Event
    facts: dict[str, Any]
    taxonomy: Taxonomy
    precedent_votes: list[tuple[str, float, str]] = Field(default_factory=list)
    run_id: str = ""
    """The run, for the call log and usage accounting."""
    timeout_s: float | None = None
    """Per-attempt time limit set by the node from the deadline; None: the backend's own."""


class ScenarioRequest(BaseModel):
    """What the scenario step may see, plus the checker's feedback on a repair round."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    event: Event
    facts: dict[str, Any]
    category: Category
    severity: Severity
    sops: Sequence[Sop]
    precedents: Sequence[Precedent] = ()
    max_scenarios: int = 3
    guidance: str | None = None
    feedback: list[Violation] = Field(default_factory=list)
    previous: list[Scenario] = Field(default_factory=list)
    run_id: str = ""
    """The run, for the call log and usage accounting."""
    timeout_s: float | None = None
    """Per-attempt time limit set by the node from the deadline; None: the backend's own."""


@runtime_checkable
class LLM(Protocol):
    """A backend: ``offline`` (deterministic rules) or ``provider:model``."""

    @property
    def name(self) -> str:
        """``offline`` or ``provider:model``, recorded in lineage."""
        ...

    def categorise(self, request: CategoriseRequest) -> Category:
        """Propose a category; may raise :class:`agent.errors.LLMError`."""
        ...

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        """Propose 1-3 scenarios citing SOP steps; may raise :class:`agent.errors.LLMError`."""
        ...

    def prompt_ids(self) -> dict[str, str]:
        """Node -> ``prompt id@content hash`` for lineage (empty for the offline backend)."""
        ...


@runtime_checkable
class UsageReporting(Protocol):
    """Optional: a backend that counts its calls, tokens and cost per run."""

    def take_usage(self, run_id: str) -> Usage:
        """The usage recorded for ``run_id`` so far, and forget it (finalise calls this)."""
        ...


@runtime_checkable
class Flushable(Protocol):
    """Optional: a backend or recorder that writes its call log in the background."""

    def flush(self) -> None:
        """Block until every call recorded so far is written."""
        ...


def flush_calls(llm: object) -> None:
    """Write the call log of ``llm`` now, before an answer is printed.

    So a SIGTERM right after the answer loses no ``llm_calls`` row.
    """
    if isinstance(llm, Flushable):
        llm.flush()
