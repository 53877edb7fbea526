"""The crisiscell graph: rules around the LLM steps, as a LangGraph state machine.

    intake -> severity -> categorise* -> retrieve -> select_sops -> generate* -> check
                                                                      ^            |
                                                                      +-- (llm, rounds left)
                                              check -> repair -> guard -> finalise
                                              check -> guard -> finalise (all compliant)

Starred nodes go through the LLM seam; every other node is a deterministic rule.
``langgraph.json`` points at the module-level ``graph`` (offline backend).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import update_wrapper
from typing import Any, Protocol

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Checkpointer

from agent.context import Deps
from agent.llm.base import LLM
from agent.llm.offline import default_llm
from agent.nodes.categorise import categorise
from agent.nodes.check import check, route_after_check
from agent.nodes.decide import apply_decision, await_decision, route_after_decision
from agent.nodes.finalise import finalise
from agent.nodes.generate import generate
from agent.nodes.guard import guard
from agent.nodes.intake import intake
from agent.nodes.repair import repair
from agent.nodes.retrieve import retrieve
from agent.nodes.select_sops import select_sops
from agent.nodes.severity import severity
from agent.state import InputState, OutputState, State

PIPELINE = ("intake", "severity", "categorise", "retrieve", "select_sops", "generate", "check")
NODES: dict[str, Callable[[State, Deps], Any]] = {
    "intake": intake,
    "severity": severity,
    "categorise": categorise,
    "retrieve": retrieve,
    "select_sops": select_sops,
    "generate": generate,
    "check": check,
    "repair": repair,
    "guard": guard,
    "finalise": finalise,
}


class _Node(Protocol):
    def __call__(self, state: State) -> Any: ...


def _bind(fn: Callable[[State, Deps], Any], deps: Deps) -> _Node:
    """A node LangGraph can call with the state alone; the dependencies are bound here."""

    def node(state: State) -> Any:
        return fn(state, deps)

    return update_wrapper(node, fn)


def build_crisis_graph(
    llm: LLM | None = None,
    checkpointer: Checkpointer = None,
    *,
    deps: Deps | None = None,
) -> CompiledStateGraph[State, None, InputState, OutputState]:
    """The same pipeline as a durable thread: pause for a decision after each suggestion.

    ``finalise -> await_decision (interrupt) -> apply_decision`` then, by decision:
    approve/reject wait again; regenerate re-enters at ``generate``; a situation update
    or a de-escalation re-enters at ``intake``; close ends the thread.
    """
    deps = deps or Deps(llm=llm or default_llm())
    if llm is not None:
        deps.llm = llm
    builder = _pipeline(deps)
    builder.add_node("await_decision", _bind(await_decision, deps))
    builder.add_node("apply_decision", _bind(apply_decision, deps))
    builder.add_edge("finalise", "await_decision")
    builder.add_edge("await_decision", "apply_decision")
    builder.add_conditional_edges("apply_decision", _bind(route_after_decision, deps),
                                  ["await_decision", "generate", "intake", END])
    return builder.compile(checkpointer=checkpointer, name="crisiscell-crisis")


def _pipeline(deps: Deps) -> StateGraph[State, None, InputState, OutputState]:
    builder = StateGraph(State, input_schema=InputState, output_schema=OutputState)
    for name, fn in NODES.items():
        builder.add_node(name, _bind(fn, deps))
    builder.add_edge(START, PIPELINE[0])
    for a, b in itertools.pairwise(PIPELINE):
        builder.add_edge(a, b)
    builder.add_conditional_edges(
        "check", _bind(route_after_check, deps), ["guard", "generate", "repair"]
    )
    builder.add_edge("repair", "guard")
    builder.add_edge("guard", "finalise")
    return builder


def build_graph(
    llm: LLM | None = None,
    checkpointer: Checkpointer = None,
    *,
    deps: Deps | None = None,
) -> CompiledStateGraph[State, None, InputState, OutputState]:
    """Compile the graph around one LLM backend (offline when None)."""
    deps = deps or Deps(llm=llm or default_llm())
    if llm is not None:
        deps.llm = llm
    builder = _pipeline(deps)
    builder.add_edge("finalise", END)
    return builder.compile(checkpointer=checkpointer, name="crisiscell")


graph = build_graph(default_llm())
