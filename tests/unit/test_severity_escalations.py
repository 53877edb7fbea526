"""SOP escalation rules fire on what the text states, not on a keyword.

Each sentence goes through the real text reader, then the shipped SOP's escalation
rules: an intruder filming on a roof is not a violent attack, a man freed from his van
"and fine" is no rescue in progress, a worker decontaminated and back at work is not a
serious radiological accident; the same SOPs still escalate when people are hurt.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Event, Severity
from agent.pack.models import SEVERITY_LEVELS
from agent.rules.facts import assemble_facts
from agent.rules.severity import apply_escalations


def escalated(shipped_pack: Any, sop_id: str, facts: dict[str, Any]) -> str:
    """The level one SOP's escalation rules set from S1 on these facts."""
    sop = next(s for s in shipped_pack.sops if s.id == sop_id)
    return apply_escalations(Severity(level="S1"), [sop], facts).level


def from_text(text: str) -> dict[str, Any]:
    return assemble_facts(Event(text=text))[0]


def index(level: str) -> int:
    return SEVERITY_LEVELS.index(level)


@pytest.mark.parametrize(
    ("sop_id", "text", "ceiling"),
    [
        (
            "SOP-SEC-ATK-014",
            "Deux individus sur le toit du bâtiment de stockage, ils filment avec leur "
            "téléphone, la police est en route.",
            "S1",
        ),
        (
            "SOP-NAT-EQK-011",
            "Les pompiers ont sorti un homme coincé dans sa camionnette, il va bien, aucun blessé.",
            "S1",
        ),
        (
            "SOP-IND-COL-022",
            "Les pompiers ont sorti un homme coincé dans sa camionnette, il va bien, aucun blessé.",
            "S1",
        ),
        (
            "SOP-IND-RAD-023",
            "Un intervenant a été contaminé au visage ; après décontamination il a pu "
            "reprendre son poste. Aucun rejet dans l'environnement.",
            "S2",
        ),
    ],
)
def test_no_escalation_on_a_keyword(
    shipped_pack: Any, sop_id: str, text: str, ceiling: str
) -> None:
    assert index(escalated(shipped_pack, sop_id, from_text(text))) <= index(ceiling)


@pytest.mark.parametrize(
    ("sop_id", "facts", "floor"),
    [
        (
            "SOP-SEC-ATK-014",
            {"threat": {"attacker_present": True}, "casualties": {"injured": 2}},
            "S4",
        ),
        (
            "SOP-SEC-ATK-014",
            {"threat": {"attacker_present": True}},
            "S3",
        ),
        ("SOP-NAT-EQK-011", {"casualties": {"trapped": 2}}, "S3"),
        ("SOP-IND-COL-022", {"casualties": {"trapped": 1, "injured": 1}}, "S3"),
        ("SOP-IND-RAD-023", {"casualties": {"exposed": 1}}, "S2"),
        (
            "SOP-IND-RAD-023",
            {"casualties": {"exposed": 1, "hospitalised_onsite": 1}},
            "S3",
        ),
        ("SOP-IND-RAD-023", {"effects": {"offsite": True}}, "S4"),
    ],
)
def test_escalation_when_the_facts_state_it(
    shipped_pack: Any, sop_id: str, facts: dict[str, Any], floor: str
) -> None:
    assert index(escalated(shipped_pack, sop_id, facts)) >= index(floor)


def test_a_media_enquiry_is_not_national_coverage() -> None:
    facts = from_text("A national news site has asked us for a comment on the video.")
    assert facts.get("media.attention") != "national"
