"""The life-safety decision: evacuate or shelter, from the facts, first, with why."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.briefing import render_briefing
from agent.briefing_labels import label
from agent.context import Deps
from agent.domain import Category, Event, Scenario, ScenarioStep
from agent.event_input import event_from_file
from agent.llm.offline import OfflineLLM
from agent.pack.loader import load_pack
from agent.rules.life_safety import decide
from agent.rules.orders import read_order
from agent.service import Suggester
from agent.settings import PROJECT_ROOT, Settings
from agent.store.archive import read_history_dir


def cat(code: str, *secondary: str) -> Category:
    return Category(code=code, confidence=0.9, secondary=list(secondary))


@pytest.mark.parametrize(
    ("code", "facts", "decision", "hazard"),
    [
        ("IND.toxic_release", {}, "shelter_in_place", "toxic_cloud"),
        ("IND.fire", {}, "evacuate", "fire"),
        ("IND.explosion", {}, "evacuate", "explosion"),
        ("IND.toxic_release", {"detectors.gas_alarm": True}, "evacuate", "explosion"),
        ("SEC.violent_attack", {"threat.attacker_present": True}, "evacuate", "attack"),
        ("SEC.bomb_threat", {"threat.suspicious_item": True}, "evacuate", "bomb_threat"),
        ("SEC.bomb_threat", {}, "undecided", "bomb_threat"),
        ("NAT.wildfire", {"wildfire.distance_km": 2}, "evacuate", "wildfire"),
        ("NAT.wildfire", {"wildfire.distance_km": 12}, "undecided", "wildfire"),
        ("NAT.wildfire", {}, "undecided", "wildfire"),
        ("NAT.flood", {"flood.water_on_site": True}, "evacuate", "flood"),
        ("CYB.ransomware", {}, "not_applicable", None),
    ],
)
def test_decision_from_the_facts(
    code: str, facts: dict[str, Any], decision: str, hazard: str | None
) -> None:
    result = decide("an event", cat(code), facts)
    assert (result.decision, result.hazard) == (decision, hazard)
    assert result.reason


def test_missing_facts_are_named_unknown() -> None:
    result = decide("ammonia smell", cat("IND.toxic_release"), {})
    paths = [u.split(":")[0] for u in result.unknowns]
    assert paths == ["leak.isolated", "effects.offsite"]
    known = decide("", cat("IND.toxic_release"), {"leak.isolated": False, "effects.offsite": True})
    assert known.unknowns == []
    assert decide("", cat("NAT.wildfire"), {}).unknowns[0].startswith("wildfire.distance_km")


def test_an_authority_order_wins_over_the_hazard_rule() -> None:
    text = "Fuite de chlore. Le COS demande la mise à l'abri des habitations sous le vent."
    result = decide(text, cat("IND.fire", "IND.toxic_release"), {})
    assert result.decision == "shelter_in_place"
    assert result.order == "COS demande la mise à l'abri"
    assert "fire commander" in result.reason


def test_fire_with_toxic_smoke_says_who_shelters() -> None:
    result = decide("", cat("IND.fire", "IND.toxic_release"), {})
    assert result.decision == "evacuate"
    assert result.otherwise and "downwind" in result.otherwise


def test_an_order_of_unknown_direction_is_an_unknown() -> None:
    result = decide("", cat("NAT.flood"), {"authority.evacuation_order": True})
    assert any("authority.evacuation_order" in u for u in result.unknowns)


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("The fire brigade ordered the evacuation of the warehouse", "evacuate"),
        ("Evacuation ordered by the prefect for three streets", "evacuate"),
        ("Le préfet a ordonné le confinement des écoles", "shelter_in_place"),
        ("the mayor asks residents to stay indoors", "shelter_in_place"),
        ("No evacuation has been ordered by the prefect yet", None),
        ("Pas de confinement demandé par la préfecture", None),
        ("Deux blessés évacués vers le CHU", None),
        ("Staff evacuated to the muster point", None),
    ],
)
def test_orders_read_from_the_report(text: str, direction: str | None) -> None:
    order = read_order(text)
    assert (order.direction if order else None) == direction


def step(step_id: str, kind: str, minutes: int, conditional: bool = False) -> ScenarioStep:
    return ScenarioStep(
        sop_id="SOP-NAT-EQK-011",
        step_id=step_id,
        action=f"{kind} the staff",
        action_type=kind,  # type: ignore[arg-type]
        deadline=timedelta(minutes=minutes),
        conditional=conditional,
    )


def test_evacuate_and_shelter_in_one_scenario_is_said_with_why() -> None:
    both = Scenario(
        id="A", title="t", rationale="r",
        steps=[step("S01", "shelter", 10), step("S02", "evacuate", 5)],
    )
    result = decide("", cat("IND.fire"), {}, [both])
    assert result.conflicts == [
        "scenario A: SOP-NAT-EQK-011/S01 would shelter "
        "(check who it is for: the same people cannot do both)"
    ]


def test_a_shelter_step_before_the_move_is_a_sequence() -> None:
    quake = Scenario(
        id="A", title="t", rationale="r",
        steps=[step("S01", "shelter", 1), step("S02", "evacuate", 10)],
    )
    assert "a sequence" in decide("", cat("IND.fire"), {}, [quake]).conflicts[0]


def test_a_step_waiting_for_its_trigger_is_no_conflict() -> None:
    waits = Scenario(
        id="A", title="t", rationale="r",
        steps=[step("S01", "shelter", 10, conditional=True), step("S02", "evacuate", 5)],
    )
    assert decide("", cat("IND.fire"), {}, [waits]).conflicts == []


@pytest.fixture(scope="module")
def shipped() -> Suggester:
    settings = Settings()
    deps = Deps(
        llm=OfflineLLM(),
        settings=settings,
        pack_override=load_pack(settings.sops_dir),
        incidents_override=read_history_dir(settings.history_dir),
    )
    return Suggester(deps=deps)


def example(name: str) -> Event:
    return event_from_file(Path(PROJECT_ROOT / "examples" / "events" / name))


def test_suggestion_leads_with_life_safety(shipped: Suggester) -> None:
    suggestion = shipped.suggest(example("03-chlorine-tanker-a13.yaml"))
    data = suggestion.model_dump(mode="json")
    assert data["life_safety"]["decision"] == "shelter_in_place"
    text = render_briefing(suggestion)
    lang = suggestion.language  # the example is a French report: a French briefing
    assert text.index(label(lang, "LIFE SAFETY")) < text.index(label(lang, "0. FIRST 30 MINUTES"))
    assert any(r.rule == "life_safety" for r in suggestion.lineage.rules)


def test_the_pipeline_stays_deterministic(shipped: Suggester) -> None:
    event = example("01-ammonia-leak-rouen.yaml")
    first, second = shipped.suggest(event), shipped.suggest(event)
    assert first.life_safety == second.life_safety
    assert [s.steps for s in first.scenarios] == [s.steps for s in second.scenarios]
