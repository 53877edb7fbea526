from collections.abc import Callable

import pytest

from agent.domain import Event
from agent.errors import InputError
from agent.service import Suggester

AMMONIA_EN = "Ammonia leak at the Rouen plant near compressor 3, 2 injured, vapour cloud drifting"
AMMONIA_FR = (
    "Fuite d'ammoniac à l'usine de Rouen près du compresseur 3, deux blessés, nuage toxique"
)


@pytest.mark.parametrize("text", [AMMONIA_EN, AMMONIA_FR])
def test_offline_end_to_end(make_suggester: Callable[..., Suggester], text: str) -> None:
    s = make_suggester().suggest(Event(text=text, site="Rouen plant"))
    assert s.event.site == "SITE-01"
    assert s.category.code == "IND.toxic_release" and s.category.origin == "rules"
    assert s.severity.level == "S2" and any(c.dimension == "injured" for c in s.severity.criteria)
    assert "deaths" in s.severity.unknowns
    assert [r.id for r in s.sops] == ["SOP-IND-TOX-001"]
    assert 1 <= len(s.scenarios) <= 3
    assert all(sc.adherence and sc.adherence.compliant for sc in s.scenarios)
    assert s.precedents[0].id == "INC-AMMONIA" and not s.no_precedent
    assert not s.degraded
    assert s.lineage.model == "offline" and s.lineage.nodes[0] == "intake"
    assert s.lineage.sops[0].content_hash and s.lineage.pack_hash


def test_precedent_informed_scenario_cites_the_precedent(
    make_suggester: Callable[..., Suggester],
) -> None:
    s = make_suggester().suggest(Event(text=AMMONIA_EN, site="SITE-01"))
    informed = next(sc for sc in s.scenarios if sc.id == "B")
    assert informed.precedent_ids[0] == "INC-AMMONIA"
    assert any(step.step_id == "S04" for step in informed.steps)  # valves, from the precedent


def test_no_precedent_and_generic_sop(make_suggester: Callable[..., Suggester]) -> None:
    s = make_suggester().suggest(Event(text="A meteorite crushed the canteen roof"))
    assert s.no_precedent and s.precedents == []
    assert [r.id for r in s.sops] == ["SOP-GEN-ALL-000"]
    assert s.scenarios and s.scenarios[0].adherence and s.scenarios[0].adherence.compliant


def test_structured_facts_drive_severity_and_sops(make_suggester: Callable[..., Suggester]) -> None:
    event = Event(
        text="Gas alarm in the compressor hall",
        site="SITE-01",
        facts={"detectors": {"nh3_alarm": True}, "casualties": {"deaths": 1}},
    )
    s = make_suggester().suggest(event)
    assert s.severity.level == "S4"
    assert "SOP-IND-TOX-001" in [r.id for r in s.sops]


def test_unknown_site_is_a_typed_error(make_suggester: Callable[..., Suggester]) -> None:
    with pytest.raises(InputError, match="unknown site"):
        make_suggester().suggest(Event(text="Fire in the warehouse", site="Mars base"))


def test_same_event_same_answer(make_suggester: Callable[..., Suggester]) -> None:
    suggester = make_suggester()
    event = Event(text=AMMONIA_EN, site="SITE-01")
    a, b = suggester.suggest(event), suggester.suggest(event)
    assert a.model_dump(exclude={"lineage"}) == b.model_dump(exclude={"lineage"})


def test_excluded_incidents_are_never_retrieved(make_suggester: Callable[..., Suggester]) -> None:
    s = make_suggester().suggest(Event(text=AMMONIA_EN, site="SITE-01"),
                                 exclude_incidents=["INC-AMMONIA"])
    assert "INC-AMMONIA" not in [p.id for p in s.precedents]
    assert all(sc.precedent_ids != ["INC-AMMONIA"] for sc in s.scenarios)
