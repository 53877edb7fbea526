"""One-shot suggestions without LangGraph: the declared pipeline, run in-process.

An offline ``crisiscell suggest`` is a straight walk through :mod:`agent.pipeline`;
importing LangGraph (and LangChain, LangSmith, httpx behind it) cost more than the
whole run (issue 11: cold start). This runner walks the same declaration with the same
state semantics as LangGraph's ``StateGraph`` over the pydantic :class:`State`:

* each node reads ``State(**values)``, built from the values written so far;
* a returned dict updates only keys of the state (others are dropped, as LangGraph
  does); ``None`` changes nothing; a plain field is overwritten, an ``Annotated``
  field with a reducer (``operator.add``, ``_add_counts``) is combined with it;
* a branch's route reads the state after its node's update, and must name a target
  the declaration lists;
* a run fails once it has executed ``limit`` nodes, as with LangGraph's
  ``recursion_limit`` (which counts the step that finds the end: a run of N nodes
  needs a limit above N).

Crisis threads (checkpoints, interrupts) and model-backed runs stay on LangGraph
(:mod:`agent.graph`); ``tests/unit/test_runner.py`` holds both runners to the same answers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from agent.context import Deps
from agent.errors import CrisisCellError
from agent.pipeline import BRANCHES, EDGES, FIRST, NODES
from agent.state import InputState, OutputState, State

STEP_LIMIT = 25
"""A run fails at its 25th node; the longest legitimate path is 20 (5 repair rounds)."""

Reducer = Callable[[Any, Any], Any]


class PipelineError(CrisisCellError):
    """The pipeline declaration or a node broke the runner's contract (a bug, not an input)."""


class StepLimitExceeded(PipelineError):
    """A run reached its step limit: a routing loop that never reaches the end."""


def run_pipeline(given: InputState, deps: Deps, limit: int = STEP_LIMIT) -> dict[str, Any]:
    """Run the one-shot pipeline on ``given``; return the output keys, as ``invoke`` does.

    Raises:
        StepLimitExceeded: ``limit`` nodes ran (a routing loop, or a limit too low).
        PipelineError: a node returned something other than a dict or None, or a
            route named a node its branch does not declare.
    """
    values = {name: getattr(given, name) for name in InputState.model_fields}
    node: str | None = FIRST
    steps = 0
    while node is not None:
        merge(values, NODES[node](State(**values), deps), node)
        steps += 1
        if steps >= limit:
            raise StepLimitExceeded(
                f"the pipeline reached its step limit ({limit}) at node {steps}, '{node}'"
            )
        node = successor(node, values, deps)
    return {name: values[name] for name in OutputState.model_fields if name in values}


def successor(node: str, values: Mapping[str, Any], deps: Deps) -> str | None:
    """The next node: its branch's route on the updated state, its fixed edge, or the end."""
    branch = next((b for b in BRANCHES if b.node == node), None)
    if branch is None:
        return _edges().get(node)
    target = branch.route(State(**values), deps)
    if target not in branch.targets:
        raise PipelineError(f"route after '{node}' named '{target}', not one of {branch.targets}")
    return target


def merge(values: dict[str, Any], update: object, node: str = "?") -> None:
    """Apply one node's update: overwrite plain fields, combine reducer fields."""
    if update is None:
        return
    if not isinstance(update, dict):
        raise PipelineError(f"node '{node}' returned {type(update).__name__}, not a dict")
    reducers = _reducers()
    for key, value in update.items():
        if key not in State.model_fields:
            continue  # LangGraph drops keys outside the state: so does this runner
        reducer = reducers.get(key)
        if reducer is None:
            values[key] = value
        else:
            values[key] = reducer(values[key] if key in values else _default(key), value)


@cache
def _edges() -> dict[str, str]:
    """Fixed edges by source; a node with two fixed edges would fan out: refused."""
    edges: dict[str, str] = {}
    for a, b in EDGES:
        if a in edges:
            raise PipelineError(f"node '{a}' has two fixed edges: the runner is sequential")
        edges[a] = b
    return edges


@cache
def _reducers() -> dict[str, Reducer]:
    """State fields declared ``Annotated[T, reducer]``, read as LangGraph reads them."""
    hints = get_type_hints(State, include_extras=True)
    found: dict[str, Reducer] = {}
    for name, hint in hints.items():
        if get_origin(hint) is Annotated and _is_reducer(get_args(hint)[-1]):
            found[name] = get_args(hint)[-1]
    return found


def _is_reducer(candidate: object) -> bool:
    """A callable of two positional parameters (LangGraph's test for a binary operator)."""
    if not callable(candidate):
        return False
    try:
        params = inspect.signature(candidate).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in params if p.kind in positional) == 2


def _default(key: str) -> Any:
    """A field's starting value before any node wrote it (its default, a fresh one)."""
    return State.model_fields[key].get_default(call_default_factory=True)
