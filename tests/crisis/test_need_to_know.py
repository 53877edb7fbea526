"""Need-to-know: hidden records never reach a prompt, a JSON output or an export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.crisis.exports import ics201, ics201_markdown, ics214, ics214_markdown
from agent.crisis.service import CrisisService
from agent.domain import Category, Event
from agent.rules.need_to_know import MARKING_ORDER, Clearance
from agent.rules.planner import build_scenarios
from tests.fakes import FakeLLM, incident

LEAK_TEXT = "Ammonia leak near compressor 3, vapour cloud over the car park"
COMPARTMENTS = ["ops", "legal"]


def archive(markings: list[tuple[str, list[str]]]) -> list[Any]:
    return [
        incident(
            f"INC-{i}",
            f"Ammonia leak case {i} TOKEN{i}X",
            f"Ammonia vapour escaped from a valve; staff sheltered. TOKEN{i}X",
            "IND.toxic_release",
            marking=marking,
            compartments=comps,
            actions=[("Isolated the area around the leak", "isolate")],
        )
        for i, (marking, comps) in enumerate(markings)
    ]


def fake_llm(pack: Any) -> FakeLLM:
    llm = FakeLLM()
    for _ in range(3):
        llm.enqueue_category(Category(code="IND.toxic_release", confidence=0.9, origin="llm"))
        llm.enqueue_scenarios(build_scenarios([pack.sop("SOP-IND-TOX-001")], {})[:1])
    return llm


markings = st.lists(
    st.tuples(
        st.sampled_from(MARKING_ORDER),
        st.lists(st.sampled_from(COMPARTMENTS), max_size=1, unique=True),
    ),
    min_size=1,
    max_size=6,
)
clearances = st.tuples(
    st.sampled_from(MARKING_ORDER), st.lists(st.sampled_from(COMPARTMENTS), max_size=2, unique=True)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=markings, who=clearances)
def test_hidden_text_never_leaks(
    make_service: Callable[..., CrisisService],
    pack: Any,
    records: list[tuple[str, list[str]]],
    who: tuple[str, list[str]],
) -> None:
    clearance = Clearance(who[0], frozenset(who[1]))  # type: ignore[arg-type]
    items = archive(records)
    hidden = [f"TOKEN{i}X" for i, (m, c) in enumerate(records) if not clearance.allows(m, c)]
    llm = fake_llm(pack)
    service = make_service(llm=llm, incidents=items)
    result = service.open(
        Event(text=LEAK_TEXT, site="SITE-01"), author="alice", clearance=str(clearance)
    )
    assert result.suggestion is not None
    outputs = [repr(r) for r in llm.requests]
    outputs.append(result.suggestion.model_dump_json())
    crisis = service.log.require(result.crisis.id)
    outputs.append(ics201_markdown(ics201(crisis, result.suggestion, None, pack)))
    outputs.append(ics214_markdown(ics214(crisis, service.log.entries(crisis.id))))
    for token in hidden:
        assert not any(token in text for text in outputs), token
    assert result.suggestion.lineage.hidden.get("incidents", 0) == len(hidden)


def test_hidden_records_do_not_change_a_lower_clearance_answer(
    make_service: Callable[..., CrisisService],
) -> None:
    base = archive([("public", []), ("internal", [])])
    more = [
        *base,
        incident(
            "INC-SECRET",
            "Ammonia leak compressor vapour cloud car park",
            LEAK_TEXT,
            "IND.toxic_release",
            marking="secret",
        ),
    ]
    event = Event(text=LEAK_TEXT, site="SITE-01")
    before = make_service(incidents=base).open(event, author="a", clearance="internal")
    after = make_service(incidents=more).open(event, author="a", clearance="internal")
    assert before.suggestion is not None and after.suggestion is not None
    keep = {"lineage", "event"}
    assert before.suggestion.model_dump(exclude=keep) == after.suggestion.model_dump(exclude=keep)


def test_restricted_sop_steps_are_hidden_and_counted(
    make_service: Callable[..., CrisisService], pack: Any
) -> None:
    from agent.rules.need_to_know import visible_sop

    sop = pack.sop("SOP-IND-TOX-001")
    secret_step = sop.steps[3].model_copy(
        update={"marking": "secret", "action": "Open the SECRETVALVE bypass"}
    )
    steps = [*sop.steps[:3], secret_step, *sop.steps[4:]]
    marked = sop.model_copy(update={"steps": steps})
    view, count = visible_sop(marked, Clearance("internal"))
    assert view is not None and count == 1
    assert "SECRETVALVE" not in view.model_dump_json()
    assert visible_sop(marked, Clearance("secret"))[1] == 0
