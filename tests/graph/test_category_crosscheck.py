"""A wrong category from the model does not pick the SOPs: the rules' SOPs apply too."""

from __future__ import annotations

from typing import Any

import pytest

from agent.context import Deps
from agent.domain import Category, Event, Scenario, ScenarioStep
from agent.rules.crosscheck import cross_checked, destuffed, disagreement
from agent.rules.planner import build_scenarios
from agent.service import Suggester
from agent.settings import Settings
from tests.fakes import FakeLLM
from tests.graph.conftest import ARCHIVE

RANSOMWARE = (
    "Ransomware attack: the file servers and SCADA workstations are encrypted and a ransom "
    "note demands 20 bitcoin for the decryption key."
)


def suggester(pack: Any, llm: Any) -> Suggester:
    deps = Deps(llm=llm, settings=Settings(), pack_override=pack, incidents_override=ARCHIVE)
    return Suggester(deps=deps)


def ransom_plan(pack: Any) -> list[Scenario]:
    """The model's answer: a by-the-book outage plan with the ransom payment slipped in."""
    plan = build_scenarios([pack.sop("SOP-CYB-OUT-013")], {})[0]
    pay = ScenarioStep(
        action="Pay the ransom",
        action_type="recover",
        off_sop=True,
        source="llm",
        justification="fastest way back",
    )
    return [plan.model_copy(update={"title": "Restore fast", "steps": [*plan.steps, pay]})]


def test_wrong_model_category_keeps_the_rules_sops_and_blocks_the_ransom(
    shipped_pack: Any,
) -> None:
    llm = FakeLLM()
    llm.enqueue_category(Category(code="CYB.it_ot_outage", confidence=0.9, origin="llm"))
    for _ in range(4):
        llm.enqueue_scenarios(ransom_plan(shipped_pack))
    out = suggester(shipped_pack, llm).suggest(Event(text=RANSOMWARE, site="SITE-01"))
    assert {"SOP-CYB-RAN-007", "SOP-CYB-OUT-013"} <= {s.id for s in out.sops}
    assert out.category.code == "CYB.it_ot_outage"
    assert out.category.secondary[0] == "CYB.ransomware"
    assert out.category.reasons[0].startswith("CROSS-CHECK: ")
    assert any(r.rule == "category_crosscheck" for r in out.lineage.rules)
    for scenario in out.scenarios:
        texts = [s.action for s in [*scenario.steps, *scenario.unvetted]]
        compliant = scenario.adherence is not None and scenario.adherence.compliant
        assert not (compliant and any("pay the ransom" in t.lower() for t in texts))


@pytest.mark.parametrize(
    ("model", "rules", "disagree"),
    [
        ("CYB.it_ot_outage", "CYB.ransomware", "subtype"),
        ("IND.fire", "CYB.ransomware", "family"),
        ("CYB.ransomware", "CYB.ransomware", None),
    ],
)
def test_disagreement_on_family_or_subtype(model: str, rules: str, disagree: str | None) -> None:
    why = disagreement(
        Category(code=model, confidence=0.9, origin="llm"),
        Category(code=rules, confidence=0.8),
    )
    assert (why is None) if disagree is None else (why is not None and disagree in why)


def test_rules_fallback_without_evidence_does_not_add_sops() -> None:
    model = Category(code="IND.fire", confidence=0.9, origin="llm")
    weak = Category(code="NAT.flood", confidence=0.2)
    assert cross_checked(model, weak) == (model, None)


def test_destuffed_collapses_repeated_words_only() -> None:
    stuffed = "Ransomware encrypted the servers. fire fire fire, fire; FIRE explosion explosion"
    assert destuffed(stuffed) == "Ransomware encrypted the servers. fire explosion"
    assert destuffed("the fire spread to the fire escape") == "the fire spread to the fire escape"

