from typing import Any

import pytest

from agent.domain import Category, Severity
from agent.pack.models import Sop
from agent.rules.selection import select_sops


def generic() -> Sop:
    return Sop.model_validate(
        {
            "id": "SOP-GEN-ALL-000",
            "version": "1.0.0",
            "status": "approved",
            "title": "Generic",
            "owner": "x",
            "valid_from": "2025-01-01",
            "applies_to": {"categories": ["*"]},
            "roles": {"IC": {"ics": "incident_commander"}},
            "steps": [
                {
                    "id": "S01",
                    "phase": "p",
                    "action": "Set up command",
                    "action_type": "alert",
                    "owner": "IC",
                }
            ],
        }
    )


def select(
    sop: Sop,
    code: str,
    facts: dict[str, Any] | None = None,
    site: str | None = "SITE-01",
    level: str = "S2",
    unknowns: list[str] | None = None,
) -> list[str]:
    category = Category(code=code, confidence=0.9)
    severity = Severity(level=level, unknowns=unknowns or [])
    return [c.sop.id for c in select_sops([sop, generic()], category, severity, facts or {}, site)]


@pytest.mark.parametrize(
    ("code", "facts", "site", "level", "unknowns", "expected"),
    [
        ("IND.toxic_release", {}, "SITE-01", "S2", [], ["SOP-IND-TOX-001"]),
        ("IND.toxic_release", {}, "SITE-02", "S2", [], ["SOP-GEN-ALL-000"]),
        ("IND.toxic_release", {}, None, "S2", [], ["SOP-IND-TOX-001"]),
        ("IND.toxic_release", {}, "SITE-01", "S1", [], ["SOP-GEN-ALL-000"]),
        ("IND.toxic_release", {}, "SITE-01", "S1", ["deaths"], ["SOP-IND-TOX-001"]),
        (
            "IND.toxic_release",
            {"detectors.nh3_alarm": False},
            "SITE-01",
            "S2",
            [],
            ["SOP-GEN-ALL-000"],
        ),
        ("IND.fire", {"detectors.nh3_alarm": True}, "SITE-01", "S2", [], ["SOP-IND-TOX-001"]),
        ("IND.fire", {"substance.un": "1005"}, "SITE-01", "S2", [], ["SOP-IND-TOX-001"]),
        ("NAT.flood", {}, "SITE-01", "S2", [], ["SOP-GEN-ALL-000"]),
    ],
)
def test_selection_rules(
    tox_sop: Sop,
    code: str,
    facts: dict[str, Any],
    site: str | None,
    level: str,
    unknowns: list[str],
    expected: list[str],
) -> None:
    assert select(tox_sop, code, facts, site, level, unknowns) == expected


def test_cascade_code_selects_with_lower_rank(tox_sop: Sop) -> None:
    category = Category(code="NAT.flood", confidence=0.8, secondary=["IND.toxic_release"])
    chosen = select_sops([tox_sop], category, Severity(level="S3"), {}, "SITE-01")
    assert chosen[0].rank == 1 and "cascade" in chosen[0].reasons[0]


def test_drafts_are_never_selected(tox_sop: Sop) -> None:
    draft = tox_sop.model_copy(update={"status": "draft"})
    category = Category(code="IND.toxic_release", confidence=0.9)
    assert select_sops([draft], category, Severity(level="S3"), {}, "SITE-01") == []
