"""A French report's don'ts of the hour are in the SOP's French words."""

from __future__ import annotations

from agent.briefing import render_briefing
from agent.domain import Event
from agent.service import Suggester


def test_the_donts_are_said_in_french_for_a_french_report(shipped: Suggester) -> None:
    french = shipped.suggest(Event(text="Fuite d'ammoniac au compresseur 3, nuage de vapeur"))
    assert french.donts and all(d.text_fr for d in french.donts)
    text = render_briefing(french)
    assert "À NE PAS FAIRE" in text
    assert all(d.text_fr and d.text_fr[:60] in text for d in french.donts)
    english = shipped.suggest(Event(text="Ammonia leak at compressor 3, vapour cloud"))
    assert all(d.text[:60] in render_briefing(english) for d in english.donts)
