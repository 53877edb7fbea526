"""When more SOPs apply than the limit, the best-supported cascades are kept, not the first ids."""

from __future__ import annotations

from agent.domain import Category, Severity
from agent.pack.models import Sop
from agent.rules.selection import select_sops


def sop(sop_id: str, category: str) -> Sop:
    return Sop.model_validate(
        {
            "id": sop_id,
            "version": "1.0.0",
            "status": "approved",
            "title": sop_id,
            "owner": "x",
            "valid_from": "2025-01-01",
            "applies_to": {"categories": [category]},
            "roles": {"IC": {"ics": "incident_commander"}},
            "steps": [
                {"id": "S01", "phase": "p", "action": "Act", "action_type": "alert", "owner": "IC"}
            ],
        }
    )


PACK = [
    sop("SOP-HLT-AAA-001", "HLT.occupational_injury"),
    sop("SOP-IND-BBB-002", "IND.fire"),
    sop("SOP-TRN-CCC-003", "TRN.road"),
]


def chosen(secondary: list[str], limit: int) -> list[str]:
    category = Category(code="TRN.road", confidence=0.9, secondary=secondary)
    severity = Severity(level="S2")
    return [c.sop.id for c in select_sops(PACK, category, severity, {}, None, limit)]


def test_the_strongest_cascade_is_kept_at_the_limit() -> None:
    assert chosen(["IND.fire", "HLT.occupational_injury"], 2) == [
        "SOP-TRN-CCC-003",
        "SOP-IND-BBB-002",
    ]


def test_order_follows_the_secondary_codes() -> None:
    assert chosen(["HLT.occupational_injury", "IND.fire"], 3) == [
        "SOP-TRN-CCC-003",
        "SOP-HLT-AAA-001",
        "SOP-IND-BBB-002",
    ]


def test_the_primary_code_comes_first_whatever_its_id() -> None:
    assert chosen(["HLT.occupational_injury"], 1) == ["SOP-TRN-CCC-003"]
