"""The one call the CLI, the console and the evals share: event in, suggestion out."""

from __future__ import annotations

from collections.abc import Sequence

from agent.context import Deps
from agent.domain import Event, Suggestion
from agent.graph import build_graph
from agent.llm.base import LLM
from agent.llm.factory import make_llm
from agent.settings import Settings
from agent.state import InputState


class Suggester:
    """A compiled graph and its dependencies, reused across events."""

    def __init__(
        self, llm: LLM | None = None, settings: Settings | None = None, deps: Deps | None = None
    ) -> None:
        settings = settings or Settings()
        self.deps = deps or Deps(llm=llm or make_llm(settings), settings=settings)
        self.graph = build_graph()

    def warm_up(self) -> None:
        """Load the pack and build the archive index now, not on the first event."""
        _ = self.deps.pack, self.deps.retriever

    def suggest(
        self,
        event: Event,
        guidance: str | None = None,
        exclude_incidents: Sequence[str] = (),
        clearance: str | None = None,
    ) -> Suggestion:
        """Run the graph on one event; ``exclude_incidents`` hides incidents from retrieval."""
        state = InputState(
            event=event,
            guidance=guidance,
            exclude_incidents=list(exclude_incidents),
            clearance=clearance or self.deps.settings.clearance,
        )
        result = self.graph.invoke(state, context=self.deps)
        suggestion = result["suggestion"]
        assert isinstance(suggestion, Suggestion)
        return suggestion
