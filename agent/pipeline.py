"""The crisiscell pipeline, declared once: its nodes, its edges and the route after the check.

    intake -> severity -> categorise* -> retrieve -> select_sops -> generate* -> check
                                                                      ^            |
                                                                      +-- (llm, rounds left)
                                              check -> repair -> guard -> finalise
                                              check -> guard -> finalise (all compliant)

Starred nodes go through the LLM seam; every other node is a deterministic rule.
Two runners read this declaration: :mod:`agent.graph` builds LangGraph's state machine
from it (model-backed runs, crisis threads, ``langgraph.json``), :mod:`agent.runner`
runs it in-process for a one-shot offline suggestion. This module never imports
LangGraph, so an offline ``crisiscell suggest`` does not pay for it (issue 11).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.context import Deps
from agent.nodes.categorise import categorise
from agent.nodes.check import check, route_after_check
from agent.nodes.finalise import finalise
from agent.nodes.generate import generate
from agent.nodes.guard import guard
from agent.nodes.intake import intake
from agent.nodes.repair import repair
from agent.nodes.retrieve import retrieve
from agent.nodes.select_sops import select_sops
from agent.nodes.severity import severity
from agent.state import State

Node = Callable[[State, Deps], Any]
"""A node: reads the state and the run's dependencies, returns the keys it changes."""
Route = Callable[[State, Deps], str]
"""A route: reads the state after its node ran, names the next node."""

PIPELINE = ("intake", "severity", "categorise", "retrieve", "select_sops", "generate", "check")
NODES: dict[str, Node] = {
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

NODE_LABELS: dict[str, str] = {
    "intake": "Read the report and its facts",
    "severity": "Score severity",
    "categorise": "Categorise the event",
    "retrieve": "Find similar past incidents",
    "select_sops": "Select SOPs and notification clocks",
    "generate": "Draft scenarios",
    "check": "Check each scenario against the SOPs",
    "repair": "Repair non-compliant scenarios",
    "guard": "Withhold any forbidden action",
    "finalise": "Assemble the briefing",
    "apply_decision": "Record the decision",
}
"""What each node does, in an operator's words (the console's progress, one per node)."""
RUN_STEPS = (*PIPELINE, "guard", "finalise")
"""The nodes every run passes (``repair`` only when a scenario needs it)."""

FIRST = PIPELINE[0]
"""Where every run starts."""
LAST = "finalise"
"""Where a one-shot run ends (a crisis thread then waits for a decision)."""
EDGES: tuple[tuple[str, str], ...] = (
    *itertools.pairwise(PIPELINE),
    ("repair", "guard"),
    ("guard", "finalise"),
)
"""Fixed edges: after the first node, always the second."""


@dataclass(frozen=True)
class Branch:
    """A conditional edge: after ``node``, ``route`` names one of ``targets``."""

    node: str
    route: Route
    targets: tuple[str, ...]


BRANCHES: tuple[Branch, ...] = (
    Branch("check", route_after_check, ("guard", "generate", "repair")),
)
"""Conditional edges (a node has either one fixed edge or one branch, never both)."""
