"""The crisiscell graph: the declared pipeline as a LangGraph state machine.

The nodes, edges and the route after the check are declared once, in
:mod:`agent.pipeline` (see its diagram); this module builds LangGraph's ``StateGraph``
from that declaration, for model-backed runs, crisis threads (checkpoints, interrupts),
the console and ``langgraph.json``. An offline one-shot suggestion runs the same
declaration in-process (:mod:`agent.runner`) and never imports LangGraph.
Dependencies (the LLM backend, the pack, the archive) are LangGraph's runtime context:
passed with each run, so the graph is compiled once. ``langgraph.json`` points at the
module-level ``graph``; run by LangGraph's tools without a context, it uses the backend
``CRISISCELL_LLM`` names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Checkpointer

from agent.context import Deps
from agent.nodes.decide import apply_decision, await_decision, route_after_decision
from agent.pipeline import (
    BRANCHES,
    EDGES,
    FIRST,
    LAST,
    NODE_LABELS,
    NODES,
    PIPELINE,
    RUN_STEPS,
)
from agent.state import InputState, OutputState, State

__all__ = [
    "NODES", "NODE_LABELS", "PIPELINE", "RUN_STEPS", "Graph", "build_crisis_graph",
    "build_graph", "context_of", "environment_deps",
]


class _Node(Protocol):
    def __call__(self, state: State, *, runtime: Runtime[Deps]) -> Any: ...


def _bind(fn: Callable[[State, Deps], Any]) -> _Node:
    """A node (or a route) that reads its dependencies from LangGraph's runtime context."""

    def node(state: State, *, runtime: Runtime[Deps]) -> Any:
        return fn(state, context_of(runtime))

    # Names only: a ``__wrapped__`` would make LangGraph read fn's signature, not this one.
    node.__name__, node.__qualname__, node.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    return node


def context_of(runtime: Runtime[Deps]) -> Deps:
    """The run's dependencies: those passed as ``context``, else the environment's.

    crisiscell's services always pass theirs; a graph run by LangGraph's own tools (the
    ``langgraph.json`` graph in ``langgraph dev``) gets the backend ``CRISISCELL_LLM``
    names (offline when unset).
    """
    context = runtime.context
    return context if isinstance(context, Deps) else environment_deps()


@lru_cache(maxsize=1)
def environment_deps() -> Deps:
    """Dependencies from the environment and ``crisiscell.toml``, built once per process."""
    from agent.llm.factory import make_llm
    from agent.settings import Settings

    settings = Settings()
    return Deps(llm=make_llm(settings), settings=settings)


def _pipeline() -> StateGraph[State, Deps, InputState, OutputState]:
    builder = StateGraph(
        State, context_schema=Deps, input_schema=InputState, output_schema=OutputState
    )
    for name, fn in NODES.items():
        builder.add_node(name, _bind(fn))
    builder.add_edge(START, FIRST)
    for a, b in EDGES:
        builder.add_edge(a, b)
    for branch in BRANCHES:
        builder.add_conditional_edges(branch.node, _bind(branch.route), list(branch.targets))
    return builder


Graph = CompiledStateGraph[State, Deps, InputState, OutputState]


def build_crisis_graph(checkpointer: Checkpointer = None) -> Graph:
    """The same pipeline as a durable thread: pause for a decision after each suggestion.

    ``finalise -> await_decision (interrupt) -> apply_decision`` then, by decision:
    approve/reject wait again; regenerate re-enters at ``generate``; a situation update
    or a de-escalation re-enters at ``intake``; close ends the thread. Dependencies come
    with each run (``context=deps``) and the graph is compiled once per process: each
    caller gets a copy bound to its own checkpointer (``Pregel.copy``, a fraction of a ms).
    """
    return _crisis_graph().copy(update={"checkpointer": checkpointer})


@lru_cache(maxsize=1)
def _crisis_graph() -> Graph:
    """The crisis graph compiled without a checkpointer (bound per caller)."""
    builder = _pipeline()
    builder.add_node("await_decision", _bind(await_decision))
    builder.add_node("apply_decision", _bind(apply_decision))
    builder.add_edge(LAST, "await_decision")
    builder.add_edge("await_decision", "apply_decision")
    builder.add_conditional_edges("apply_decision", _bind(route_after_decision),
                                  ["await_decision", "generate", "intake", END])
    return builder.compile(name="crisiscell-crisis")


@lru_cache(maxsize=1)
def build_graph() -> Graph:
    """The one-shot pipeline, compiled once per process; run it with ``context=deps``."""
    builder = _pipeline()
    builder.add_edge(LAST, END)
    return builder.compile(name="crisiscell")


def __getattr__(name: str) -> Any:
    """``graph`` (what ``langgraph.json`` points at), compiled on first use, not at import."""
    if name == "graph":
        return build_graph()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
