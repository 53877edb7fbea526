"""Node-by-node progress of crisis runs, for the operator console.

:func:`streaming` wraps a :class:`~agent.crisis.service.CrisisService` for the length
of a ``with`` block: every pipeline run the service starts (open, regenerate, a
situation update...) is streamed with ``stream_mode="updates"`` and each finished
node is reported to a callback as a :class:`NodeProgress`. The service still does
all the work (log entries, stored suggestions, diffs), so a streamed run leaves
exactly the same records as a plain one.

Every run goes through :func:`run_graph` (``CrisisService.run``): it streams when an
observer is set (``service.observer``, what :func:`streaming` sets) and otherwise
invokes the graph. It also holds one **test hook**: with
``CRISISCELL_TEST_KILL_AFTER=<node>`` in the environment the process kills itself
(SIGKILL) right after that node finishes, so the fault suite can prove a crisis never
wedges on a crash at any node boundary.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import RunnableConfig

from agent.graph import NODE_LABELS

if TYPE_CHECKING:
    from agent.crisis.service import CrisisService

KILL_AFTER_ENV = "CRISISCELL_TEST_KILL_AFTER"
"""Test hook: the node after which the process kills itself (never set in production)."""

MODEL_NODES = frozenset({"categorise", "generate"})
"""Nodes that go through the LLM seam (every other node is a deterministic rule)."""


@dataclass(frozen=True)
class NodeProgress:
    """One finished node of a run: which, what it found, and who decided (rules or model)."""

    node: str
    index: int
    label: str
    detail: str
    origin: str
    elapsed_s: float


OnNode = Callable[[NodeProgress], None]


def _get(update: Any, name: str, default: Any = None) -> Any:
    if isinstance(update, dict):
        return update.get(name, default)
    return getattr(update, name, default)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def describe_update(node: str, update: Any) -> tuple[str, str]:
    """A one-line summary of what ``node`` produced, and its origin (``rules``/``llm``)."""
    origin = "rules"
    detail = ""
    if node == "intake":
        facts = _get(update, "facts") or {}
        from_text = _get(update, "from_text") or []
        detail = f"{_plural(len(facts), 'fact')}, {len(from_text)} read from the text"
    elif node == "severity":
        severity = _get(update, "severity")
        if severity is not None:
            criteria = _get(severity, "criteria") or []
            detail = f"{_get(severity, 'display')} ({_plural(len(criteria), 'criterion')} fired)"
    elif node == "categorise":
        category = _get(update, "category")
        if category is not None:
            origin = str(_get(category, "origin", "rules"))
            detail = f"{_get(category, 'code')} (confidence {_get(category, 'confidence'):.2f})"
    elif node == "retrieve":
        precedents = _get(update, "precedents") or []
        detail = (
            "no precedent"
            if _get(update, "no_precedent")
            else _plural(len(precedents), "similar incident")
        )
    elif node == "select_sops":
        sops = [_get(s, "id") for s in _get(update, "sops") or []]
        notes = _get(update, "notifications") or []
        detail = f"{', '.join(sops) or 'no SOP'}; {_plural(len(notes), 'notification')} due"
    elif node == "generate":
        scenarios = _get(update, "scenarios") or []
        origin = str(_get(update, "scenario_origin") or "rules")
        detail = _plural(len(scenarios), "scenario")
    elif node in ("check", "repair"):
        scenarios = _get(update, "scenarios") or []
        ok = sum(
            1
            for s in scenarios
            if _get(s, "adherence") is not None and _get(_get(s, "adherence"), "compliant")
        )
        detail = f"{ok} of {len(scenarios)} compliant"
    elif node == "guard":
        removed = sum(len(_get(s, "blocked") or []) for s in _get(update, "scenarios") or [])
        removed += len(_get(update, "blocked") or [])
        detail = "nothing forbidden" if not removed else f"{_plural(removed, 'text')} withheld"
    elif node == "finalise":
        detail = "ready for a decision"
    elif node == "apply_decision":
        decision = _get(update, "decision")
        detail = str(_get(decision, "kind", "")) if decision is not None else ""
    return detail, origin


def run_graph(
    graph: Any, input: Any, config: RunnableConfig, on_node: OnNode | None, **kwargs: Any
) -> None:
    """Run the graph once; streamed node by node when someone watches or the kill hook is set.

    ``kwargs`` go to LangGraph (``context``, ``durability``). A streamed run leaves
    exactly the records a plain one does.
    """
    if on_node is None and not os.environ.get(KILL_AFTER_ENV):
        graph.invoke(input, config, **kwargs)
        return
    start, index = time.perf_counter(), 0
    for chunk in graph.stream(input, config, stream_mode="updates", **kwargs):
        for node, update in chunk.items():
            if node.startswith("__") or node == "await_decision":
                continue
            index += 1
            if on_node is not None:
                on_node(_progress(node, update, index, time.perf_counter() - start))
            _kill_if_asked(node)


def _progress(node: str, update: Any, index: int, elapsed_s: float) -> NodeProgress:
    detail, origin = describe_update(node, update)
    label = NODE_LABELS.get(node, node)
    return NodeProgress(node, index, label, detail, origin, elapsed_s)


def _kill_if_asked(node: str) -> None:
    """The test hook: die like ``kill -9`` right after ``node``, if the environment asks."""
    if os.environ.get(KILL_AFTER_ENV) == node:
        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def streaming(service: CrisisService, on_node: OnNode) -> Iterator[CrisisService]:
    """Report every node the service's runs finish to ``on_node`` within this block."""
    previous = service.observer
    service.observer = on_node
    try:
        yield service
    finally:
        service.observer = previous
