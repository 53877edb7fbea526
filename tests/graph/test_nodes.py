"""Every node alone: each is a thin wrapper that returns only the keys it changes."""

from __future__ import annotations

from typing import Any

import pytest

from agent.context import Deps
from agent.domain import Category, Event, Severity
from agent.errors import InputError
from agent.llm.offline import OfflineLLM
from agent.nodes.categorise import categorise
from agent.nodes.check import check, route_after_check
from agent.nodes.finalise import finalise
from agent.nodes.generate import generate
from agent.nodes.intake import intake
from agent.nodes.repair import repair
from agent.nodes.retrieve import retrieve
from agent.nodes.select_sops import select_sops
from agent.nodes.severity import severity
from agent.settings import Settings
from agent.state import State
from tests.graph.conftest import ARCHIVE


@pytest.fixture
def deps(pack: Any) -> Deps:
    return Deps(
        llm=OfflineLLM(), settings=Settings(), pack_override=pack, incidents_override=ARCHIVE
    )


def state(**values: Any) -> State:
    event = Event(text="Ammonia leak near compressor 3, 2 injured", site="SITE-01")
    return State(event=event, **values)


def advance(s: State, update: dict[str, Any]) -> State:
    data = s.model_dump()
    for key, value in update.items():
        data[key] = (
            (data.get(key) or []) + value
            if key in ("rules", "nodes", "degraded_reasons")
            else value
        )
    return State.model_validate(data)


def test_intake(deps: Deps) -> None:
    out = intake(state(), deps)
    assert out["facts"]["casualties.injured"] == 2 and out["facts"]["site.seveso"] == "upper"
    assert out["from_text"] == ["casualties.injured", "substance.erg_guide", "substance.un"]
    assert out["run_id"] and out["spans"]["substance.un"]
    assert {"event", "facts", "from_text", "run_id", "nodes"} <= set(out)
    with pytest.raises(InputError):
        intake(State(event=Event(text="x y z", site="nowhere")), deps)


def test_severity_and_categorise(deps: Deps) -> None:
    s = advance(state(), intake(state(), deps))
    out = severity(s, deps)
    assert out["severity"].level == "S2" and out["rules"][0].rule == "severity_scale"
    out = categorise(s, deps)
    assert out["category"].code == "IND.toxic_release" and out["degraded_reasons"] == []


def test_retrieve_and_select(deps: Deps) -> None:
    s = advance(state(), intake(state(), deps))
    s = advance(
        s,
        {
            "category": Category(code="IND.toxic_release", confidence=0.9),
            "severity": Severity(level="S2", unknowns=["deaths"]),
        },
    )
    found = retrieve(s, deps)
    assert found["precedents"][0].id == "INC-AMMONIA" and found["no_precedent"] is False
    chosen = select_sops(s, deps)
    assert [r.id for r in chosen["sops"]] == ["SOP-IND-TOX-001"]
    assert {n.to for n in chosen["notifications"]} >= {"fire_rescue", "dreal_inspection"}


def test_generate_check_route_repair_finalise(deps: Deps) -> None:
    s = advance(state(), intake(state(), deps))
    s = advance(
        s,
        {
            "category": Category(code="IND.toxic_release", confidence=0.9),
            "severity": Severity(level="S2"),
        },
    )
    s = advance(s, select_sops(s, deps))
    s = advance(s, generate(s, deps))
    assert s.scenarios and s.scenario_origin == "rules"
    s = advance(s, check(s, deps))
    assert route_after_check(s, deps) == "guard"
    broken = s.scenarios[0].model_copy(update={"steps": s.scenarios[0].steps[1:]})
    s2 = advance(s, {"scenarios": [broken]})
    s2 = advance(s2, check(s2, deps))
    assert route_after_check(s2, deps) == "repair"
    fixed = repair(s2, deps)
    assert fixed["scenarios"][0].adherence.compliant and fixed["scenarios"][0].adherence.repairs
    out = finalise(s, deps)
    assert out["suggestion"].lineage.nodes[-1] == "finalise"
    assert out["severity_floor"] == "S2"
