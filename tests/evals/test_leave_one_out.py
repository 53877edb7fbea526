"""Leave-one-out: a replayed case never retrieves its own incident."""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Event
from agent.errors import CrisisCellError
from agent.service import Suggester
from agent.settings import Settings
from evals.replay import events_of, replay
from evals.runner import RunConfig, make_suggester, run_cases
from evals.suites import Suite, load_suite


@pytest.fixture(scope="module")
def archive() -> Suite:
    return load_suite("archive")


@pytest.fixture(scope="module")
def suggester(archive: Suite) -> Suggester:
    return make_suggester(Settings(llm="offline"), archive)


def test_no_case_retrieves_itself(archive: Suite, suggester: Suggester) -> None:
    results = run_cases(archive, suggester, RunConfig(suite="archive"))
    assert len(results) == len(archive.cases)
    for case, result in zip(archive.cases, results, strict=True):
        assert case.metadata.incident_id == case.name
        assert len(result.steps) == 2  # T0, then the recorded outcome (hindsight)
        for step in result.steps:
            assert case.name not in step.precedents, case.name


class _Recorder:
    """A suggester stand-in that records what each step was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[Event, tuple[str, ...]]] = []

    def suggest(
        self, event: Event, guidance: str | None = None, exclude_incidents: Any = ()
    ) -> Any:
        self.calls.append((event, tuple(exclude_incidents)))
        raise CrisisCellError("recorded")


def test_outcome_step_is_last_marked_and_still_hides_its_incident(archive: Suite) -> None:
    case = archive.cases[0]
    recorder = _Recorder()
    steps = replay(case, recorder)
    assert [s.hindsight for s in steps] == [False, True]
    (t0, _), (late, hidden) = recorder.calls
    assert t0.text == case.inputs.text and "Later: " not in t0.text
    assert late.text.endswith(case.inputs.updates[0].text or "") and "\n\nLater: " in late.text
    assert case.name in hidden


def test_without_exclusion_cases_would_find_themselves(
    archive: Suite, suggester: Suggester
) -> None:
    """The control: the guard above is meaningful because the summary finds its incident."""
    found = 0
    sample = archive.cases[:20]
    for case in sample:
        _, event = next(events_of(case))
        found += case.name in [p.id for p in suggester.suggest(event).precedents]
    assert found >= len(sample) * 0.8


def test_hidden_ids_cover_name_and_incident() -> None:
    from tests.evals.conftest import make_case

    assert make_case().hidden_ids == ["CASE-1", "INC-SELF"]
