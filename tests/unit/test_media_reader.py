"""Media attention read from the text (issue 10): the reach a report states, EN and FR.

Written before the reader: the reach an editor would defend from the words alone, and
the words of other things ("national grid", "regional hospital", "filter media") that
must not read as press attention.
"""

from __future__ import annotations

import pytest

from agent.rules.text_facts import read_text

STATED = [
    ("The story is leading the national evening news on every channel.", "national"),
    ("It is on the front pages of the national papers this morning.", "national"),
    ("The BBC and Sky News have crews at the gate.", "national"),
    ("Les chaînes d'info en continu diffusent des images du panache depuis midi.", "national"),
    ("Le sujet ouvre le journal de 20 heures de TF1.", "national"),
    ("Plusieurs médias nationaux relaient l'information.", "national"),
    ("Reporters from international outlets are asking for interviews.", "international"),
    ("La presse internationale reprend l'information, Reuters a publié.", "international"),
    ("The regional TV station ran a piece at six.", "regional"),
    ("France 3 Régions a tourné un reportage devant l'entrée.", "regional"),
    ("La presse régionale titre sur l'odeur ce matin.", "regional"),
    ("A reporter from the local paper is at the main gate.", "local"),
    ("Un journaliste de la radio locale demande une interview.", "local"),
    ("The local press has picked it up and the video is all over social media.", "local"),
]

NOT_MEDIA = [
    "The national grid operator has cut the feeder to the site.",
    "Two workers were taken to the regional hospital.",
    "The national weather service has issued a red warning.",
    "Filter media in the scrubber must be replaced after the release.",
    "The media server in the data centre is down, no customer impact.",
    "Le réseau national de transport d'électricité a délesté la ligne.",
    "Les gendarmes de la brigade locale sont sur place.",
    "Nobody from the press has called yet.",
    "Aucun média n'est au courant pour l'instant.",
    "If this reaches the national news we need a statement ready.",
    "Brief the CEO before the national press gets hold of it.",
    "It is not on the national news yet.",
    "La presse régionale n'en parle pas encore.",
    "Si les chaînes d'info reprennent l'affaire, le préfet voudra un point.",
]


@pytest.mark.parametrize(("text", "reach"), STATED)
def test_the_reach_the_text_states_is_read(text: str, reach: str) -> None:
    facts, spans = read_text(text)
    assert facts.get("media.attention") == reach, facts
    assert spans["media.attention"]  # the briefing quotes the words it came from


@pytest.mark.parametrize("text", NOT_MEDIA)
def test_other_national_or_local_things_are_not_press_attention(text: str) -> None:
    assert "media.attention" not in read_text(text)[0]


def test_a_press_enquiry_is_not_yet_national_coverage() -> None:
    """A labelling choice kept from the dev corpus (two blind sets disagree: see issue 10)."""
    text = "Des journalistes de France 2 ont déjà appelé le standard."
    assert read_text(text)[0].get("media.attention") != "national"


def test_the_widest_reach_stated_wins() -> None:
    text = "The local paper ran it first; by noon the national TV news had it."
    assert read_text(text)[0]["media.attention"] == "national"
