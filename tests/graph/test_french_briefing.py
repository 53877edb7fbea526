"""A French report gets its briefing frame and its SOP steps in French."""

from __future__ import annotations

from agent.briefing import render_briefing
from agent.domain import Event
from agent.service import Suggester


def test_a_french_report_reads_its_plan_in_french(shipped: Suggester) -> None:
    french = shipped.suggest(Event(text="Fuite d'ammoniac au compresseur 3, nuage de vapeur"))
    english = shipped.suggest(Event(text="Ammonia leak at compressor 3, vapour cloud"))
    assert french.language == "fr" and english.language == "en"
    text = render_briefing(french)
    assert "SÉCURITÉ DES PERSONNES" in text and "4. SCÉNARIOS" in text
    for step in french.scenarios[0].steps:
        if step.action_fr:
            assert step.action_fr[:50] in text
    assert "4. SCENARIOS" in render_briefing(english)
