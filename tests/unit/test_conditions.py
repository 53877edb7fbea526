from typing import Any

import pytest

from agent.pack.models import Condition
from agent.rules.conditions import describe, evaluate, fields


def cond(data: dict[str, Any]) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        ({"field": "a.b", "op": "eq", "value": True}, {"a": {"b": True}}, True),
        ({"field": "a.b", "op": "eq", "value": True}, {"a.b": False}, False),
        ({"field": "a.b", "op": "eq", "value": True}, {}, None),
        ({"field": "n", "op": "gte", "value": 5}, {"n": 5}, True),
        ({"field": "n", "op": "gt", "value": 5}, {"n": 5}, False),
        ({"field": "n", "op": "lt", "value": 5}, {"n": "x"}, False),
        ({"field": "v", "op": "in", "value": ["orange", "red"]}, {"v": "red"}, True),
        ({"field": "v", "op": "exists", "value": True}, {}, False),
        ({"field": "v", "op": "exists", "value": True}, {"v": 0}, True),
        ({"field": "a", "op": "eq", "value": False, "for": "PT30M"}, {"a": False}, None),
        ({"field": "a", "op": "eq", "value": False, "for": "PT30M"}, {"a": True}, False),
        (
            {
                "all": [
                    {"field": "a", "op": "eq", "value": 1},
                    {"field": "b", "op": "eq", "value": 1},
                ]
            },
            {"a": 1},
            None,
        ),
        (
            {
                "all": [
                    {"field": "a", "op": "eq", "value": 1},
                    {"field": "b", "op": "eq", "value": 1},
                ]
            },
            {"a": 2},
            False,
        ),
        (
            {
                "any": [
                    {"field": "a", "op": "eq", "value": 1},
                    {"field": "b", "op": "eq", "value": 1},
                ]
            },
            {"b": 1},
            True,
        ),
        (
            {
                "any": [
                    {"field": "a", "op": "eq", "value": 1},
                    {"field": "b", "op": "eq", "value": 1},
                ]
            },
            {"b": 2},
            None,
        ),
        ({"not": {"field": "a", "op": "eq", "value": 1}}, {"a": 1}, False),
        ({"not": {"field": "a", "op": "eq", "value": 1}}, {}, None),
    ],
)
def test_three_valued_evaluation(
    condition: dict[str, Any], facts: dict[str, Any], expected: bool | None
) -> None:
    assert evaluate(cond(condition), facts) is expected


def test_no_condition_always_holds() -> None:
    assert evaluate(None, {}) is True


@pytest.mark.parametrize(
    "bad",
    [{"field": "a"}, {}, {"field": "a", "op": "eq", "all": []}, {"field": "a", "op": "nope"}],
)
def test_malformed_conditions_are_rejected(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        cond(bad)


def test_fields_and_description() -> None:
    c = cond(
        {
            "any": [
                {"field": "a.b", "op": "eq", "value": True},
                {"not": {"field": "c", "op": "gt", "value": 2}},
            ]
        }
    )
    assert fields(c) == ["a.b", "c"]
    assert describe(c) == "(a.b eq True or not (c gt 2))"
