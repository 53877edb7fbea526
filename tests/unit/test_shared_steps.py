"""A later scenario is printed as the numbered steps it shares with an earlier one."""

from __future__ import annotations

from datetime import timedelta

from agent.domain import Scenario, ScenarioStep
from agent.shared_steps import opening, ranges, sharing, steps_read


def step(ref: str, minutes: int, *, mandatory: bool = True, **extra: object) -> ScenarioStep:
    return ScenarioStep.model_validate(
        {
            "sop_id": "SOP-X",
            "step_id": ref,
            "action": f"Do the thing called {ref}",
            "action_type": "alert",
            "deadline": timedelta(minutes=minutes),
            "mandatory": mandatory,
            **extra,
        }
    )


def scenario(sid: str, steps: list[ScenarioStep]) -> Scenario:
    return Scenario(id=sid, title=f"Scenario {sid}", rationale="why", steps=steps)


BY_THE_BOOK = scenario(
    "A",
    [step("S01", 2), step("S02", 5), step("S03", 10, mandatory=False), step("S04", 30)],
)


def test_a_core_drawn_from_the_first_scenario_is_printed_as_its_numbers() -> None:
    core = scenario("C", [step("S01", 2), step("S02", 5), step("S04", 30)])
    shared = sharing([BY_THE_BOOK, core])
    assert shared[0] is None
    assert shared[1] is not None
    assert (shared[1].base, shared[1].positions, shared[1].own) == ("A", (1, 2, 4), ())
    assert steps_read([BY_THE_BOOK, core]) == 4


def test_own_steps_are_kept_in_full() -> None:
    extra = step("S09", 20)
    plan = scenario("B", [step("S01", 2), step("S02", 5), extra])
    shared = sharing([BY_THE_BOOK, plan])[1]
    assert shared is not None and shared.own == (2,)
    assert steps_read([BY_THE_BOOK, plan]) == 5


def test_a_reordered_plan_is_printed_in_full() -> None:
    reordered = scenario("B", [step("S04", 1), step("S01", 2), step("S02", 5)])
    assert sharing([BY_THE_BOOK, reordered]) == [None, None]


def test_steps_due_at_the_same_moment_may_swap() -> None:
    base = scenario("A", [step("S01", 2), step("S02", 2), step("S03", 5)])
    swapped = scenario("B", [step("S02", 2), step("S01", 2), step("S03", 5)])
    shared = sharing([base, swapped])[1]
    assert shared is not None and shared.positions == (1, 2, 3)


def test_a_different_clock_or_mark_is_not_the_same_step() -> None:
    later = scenario("B", [step("S01", 2), step("S02", 15), step("S04", 30)])
    shared = sharing([BY_THE_BOOK, later])[1]
    assert shared is None or 2 not in shared.positions
    optional = scenario("B", [step("S01", 2, mandatory=False), step("S02", 5, mandatory=False)])
    assert sharing([BY_THE_BOOK, optional]) == [None, None]


def test_reworded_text_is_not_shared() -> None:
    other = step("S02", 5).model_copy(update={"action": "Do something else entirely"})
    plan = scenario("B", [step("S01", 2), other, step("S04", 30)])
    shared = sharing([BY_THE_BOOK, plan])[1]
    assert shared is not None and shared.positions == (1, 4) and shared.own == (1,)


def test_the_best_earlier_base_is_chosen() -> None:
    b = scenario("B", [step("S01", 2), step("S02", 5), step("S07", 8), step("S04", 30)])
    c = scenario("C", [step("S01", 2), step("S07", 8), step("S04", 30)])
    shared = sharing([BY_THE_BOOK, b, c])[2]
    assert shared is not None and (shared.base, shared.positions) == ("B", (1, 3, 4))


def test_ranges_and_time_boxes() -> None:
    assert ranges([1, 2, 3, 6, 8, 9, 12]) == "1-3, 6, 8-9, 12"
    assert ranges([]) == ""
    core = scenario("C", [step("S01", 2), step("S02", 5), step("S04", 30)])
    shared = sharing([BY_THE_BOOK, core])[1]
    assert shared is not None
    assert opening(core, shared) == "now 1-2; 30 min 4"
