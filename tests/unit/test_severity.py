from typing import Any

import pytest

from agent.domain import Severity
from agent.pack.models import SeverityScale, Sop
from agent.rules.severity import apply_escalations, score_severity
from agent.rules.text_facts import extract_facts


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        ({}, "S1"),
        ({"casualties.injured": 2}, "S2"),
        ({"casualties.injured": 6}, "S3"),
        ({"casualties.deaths": 1}, "S4"),
        ({"casualties.deaths": 6}, "S5"),
        ({"casualties.hospitalised_offsite": 1}, "S3"),
        ({"evacuation.person_hours": 499}, "S2"),
        ({"evacuation.person_hours": 500}, "S3"),
        ({"continuity.status": "mtpd_at_risk"}, "S4"),
        ({"media.attention": "international", "casualties.injured": 1}, "S5"),
        ({"ppi.triggered": True}, "S4"),
        ({"release.pct_seveso_qty": 5}, "S3"),
    ],
)
def test_highest_dimension_wins(scale: SeverityScale, facts: dict[str, Any], level: str) -> None:
    assert score_severity(scale, facts).level == level


def test_unknown_is_not_zero(scale: SeverityScale) -> None:
    result = score_severity(scale, {"casualties.injured": 2})
    assert "deaths" in result.unknowns and "injured" not in result.unknowns
    assert result.display.startswith(">=S2")
    assert result.criteria[0].dimension == "injured"


def test_seveso_floor_is_reportable_only_on_seveso_sites(scale: SeverityScale) -> None:
    on_site = score_severity(scale, {"release.pct_seveso_qty": 7, "site.seveso": "upper"})
    elsewhere = score_severity(scale, {"release.pct_seveso_qty": 7, "site.seveso": "none"})
    assert on_site.reportable and not elsewhere.reportable
    assert "seveso_annex_vi" in on_site.flags
    assert any(c.source == "floor" for c in on_site.criteria)


def test_text_facts_are_labelled(scale: SeverityScale) -> None:
    result = score_severity(scale, {"casualties.injured": 3}, {"casualties.injured"})
    assert result.criteria[0].source == "text"


def test_escalation_raises_and_never_lowers(tox_sop: Sop) -> None:
    base = Severity(level="S2")
    assert apply_escalations(base, [tox_sop], {"casualties.deaths": 1}).level == "S4"
    high = Severity(level="S5")
    assert apply_escalations(high, [tox_sop], {"casualties.deaths": 1}).level == "S5"
    assert apply_escalations(base, [tox_sop], {}).level == "S2"


@pytest.mark.parametrize(
    ("codes", "seveso", "expected"),
    [
        (["IND.toxic_release"], "upper", True),
        (["INF.power_outage"], "lower", False),
        (["NAT.flood", "IND.liquid_spill"], "upper", True),
        (["IND.fire"], "none", False),
    ],
)
def test_seveso_reportable_needs_an_accident_on_a_seveso_site(
    codes: list[str], seveso: str, expected: bool
) -> None:
    from agent.rules.severity import seveso_reportable

    severity = Severity(level="S3", flags=["seveso_annex_vi"])
    assert seveso_reportable(severity, codes, {"site.seveso": seveso}) is expected


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Explosion in the workshop, many injured", "S2"),
        ("Plusieurs blessés graves après l'explosion", "S2"),
        ("Le préfet a déclenché le PPI, 12 communes sont confinées", "S4"),
        ("Gazole qui s'écoule dans le ruisseau, aucun blessé", "S3"),
        ("Orders dropped to zero after the ransomware", "S3"),
        ("A passenger was taken to hospital after the collision", "S3"),
    ],
)
def test_qualitative_text_sets_a_lower_bound(scale: SeverityScale, text: str, level: str) -> None:
    facts = extract_facts(text)
    result = score_severity(scale, facts, set(facts))
    assert result.level == level
    assert result.unknowns  # still a lower bound: what the text does not say stays unknown
    assert all(c.source == "text" for c in result.criteria if c.source != "floor")


def test_people_overcome_count_as_slight_injuries_when_injuries_are_unknown(
    scale: SeverityScale,
) -> None:
    result = score_severity(scale, {"casualties.exposed": 2}, {"casualties.exposed"})
    assert result.level == "S2"
    assert result.criteria[0].label.endswith("(read from casualties.exposed)")
    assert result.criteria[0].source == "text"
    stated = score_severity(scale, {"casualties.exposed": 9, "casualties.injured": 0})
    assert stated.level == "S1"
