"""Three-valued evaluation of structured conditions on event facts.

A condition is True, False, or None when a fact it reads is unknown. Unknown is
never read as False: a mandatory step whose trigger is unknown stays
*conditional*, visible to the operator, instead of silently disappearing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.pack.models import Condition, Op

_MISSING = object()


def get_fact(facts: Mapping[str, Any], path: str) -> Any:
    """Read a dotted path in nested facts; a flat key with dots also works."""
    if path in facts:
        return facts[path]
    node: Any = facts
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node


def has_fact(facts: Mapping[str, Any], path: str) -> bool:
    """True when the fact is present (even if falsy)."""
    return get_fact(facts, path) is not _MISSING and get_fact(facts, path) is not None


def evaluate(condition: Condition | None, facts: Mapping[str, Any]) -> bool | None:
    """Evaluate a condition: True, False, or None when it depends on an unknown fact.

    A ``for`` duration cannot be checked on one snapshot of facts, so a predicate
    that holds but carries ``for`` is None: it may become true with time.
    """
    if condition is None:
        return True
    if condition.all is not None:
        return _all([evaluate(c, facts) for c in condition.all])
    if condition.any is not None:
        return _any([evaluate(c, facts) for c in condition.any])
    if condition.not_ is not None:
        inner = evaluate(condition.not_, facts)
        return None if inner is None else not inner
    return _predicate(condition, facts)


def fields(condition: Condition | None) -> list[str]:
    """Every fact path a condition reads, in order of appearance."""
    if condition is None:
        return []
    if condition.field is not None:
        return [condition.field]
    children = (condition.all or []) + (condition.any or [])
    if condition.not_ is not None:
        children.append(condition.not_)
    return [f for child in children for f in fields(child)]


def describe(condition: Condition | None) -> str:
    """A short human reading of a condition, for reasons and briefings."""
    if condition is None:
        return "always"
    if condition.all is not None:
        return " and ".join(describe(c) for c in condition.all)
    if condition.any is not None:
        return "(" + " or ".join(describe(c) for c in condition.any) + ")"
    if condition.not_ is not None:
        return f"not ({describe(condition.not_)})"
    op = condition.op.value if condition.op else "?"
    tail = f" for {condition.for_}" if condition.for_ else ""
    return f"{condition.field} {op} {condition.value!r}{tail}"


def _all(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _any(results: list[bool | None]) -> bool | None:
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _predicate(condition: Condition, facts: Mapping[str, Any]) -> bool | None:
    assert condition.field is not None and condition.op is not None
    actual = get_fact(facts, condition.field)
    if condition.op is Op.exists:
        present = actual is not _MISSING and actual is not None
        return present == bool(condition.value if condition.value is not None else True)
    if actual is _MISSING or actual is None:
        return None
    try:
        result = _compare(condition.op, actual, condition.value)
    except (TypeError, ValueError):
        return False
    if result and condition.for_ is not None:
        return None
    return result


def _compare(op: Op, actual: Any, expected: Any) -> bool:
    if op is Op.eq:
        return bool(actual == expected)
    if op is Op.ne:
        return bool(actual != expected)
    if op is Op.in_:
        return actual in expected
    if op is Op.contains:
        return expected in actual
    return _order(op, float(actual), float(expected))


def _order(op: Op, actual: float, expected: float) -> bool:
    return {
        Op.gt: actual > expected,
        Op.gte: actual >= expected,
        Op.lt: actual < expected,
        Op.lte: actual <= expected,
    }[op]
