"""Every categorisation explains itself: lexicon terms, model, facts, cascades, negations."""

from __future__ import annotations

from typing import Any

from agent.domain import Event
from agent.rules.categorise import categorise, decide
from agent.rules.cue_lexicon_cache import lexicon_for
from agent.rules.cues import match
from agent.rules.facts import assemble_facts
from agent.rules.reading import read


def test_reasons_list_the_words_of_the_text(shipped_pack: Any) -> None:
    c = categorise("Fuite d'ammoniac, nuage toxique vers la clôture.", shipped_pack.taxonomy)
    assert c.code == "IND.toxic_release"
    assert "phrase 'Fuite d'ammoniac' (first sentence)" in c.reasons
    assert any(r.startswith("pack model p=") for r in c.reasons)
    assert c.origin == "rules" and 0 < c.confidence < 1


def test_reasons_name_facts_and_cascades(shipped_pack: Any) -> None:
    text = "Crue de la Seine, l'eau est dans le poste électrique, le site est privé d'électricité."
    facts = {**assemble_facts(Event(text=text), shipped_pack.sites)[0], "flood.water_on_site": True}
    c = categorise(text, shipped_pack.taxonomy, facts)
    assert c.code == "NAT.flood"
    assert "fact flood.water_on_site = True" in c.reasons
    assert "cascade NAT.flood -> INF.power_outage, stated in the text" in c.reasons


def test_reasons_say_what_was_negated(shipped_pack: Any) -> None:
    c = categorise("Smell of gas in the boiler room, no fire, no explosion.", shipped_pack.taxonomy)
    assert any(r.startswith("negated, not counted:") and "fire" in r for r in c.reasons)
    assert c.code not in ("IND.fire", "IND.explosion")


def test_reasons_say_which_hazard_took_precedence(shipped_pack: Any) -> None:
    c = categorise(
        "Explosion in the dryer hall, three workers injured, fire spreading.",
        shipped_pack.taxonomy,
    )
    assert c.code == "IND.explosion"
    assert any(r.startswith("main hazard over its consequence") for r in c.reasons)


def test_precedent_votes_are_reasons(shipped_pack: Any) -> None:
    c = categorise(
        "Odd smell near the tank farm this morning.",
        shipped_pack.taxonomy,
        precedent_votes=[("IND.toxic_release", 0.8, "INC-X")],
    )
    assert "similar past incident INC-X (0.80)" in c.reasons


def test_hits_carry_negation_cause_and_headline_flags(shipped_pack: Any) -> None:
    hits = match(
        read("No fire at the depot. Power cut since the storm."),
        lexicon_for(shipped_pack.taxonomy),
    )
    by_code = {h.code: h for h in hits}
    assert by_code["IND.fire"].negated and by_code["IND.fire"].lead
    assert by_code["NAT.storm_wind"].cause and not by_code["INF.power_outage"].cause
    assert by_code["INF.power_outage"].span == "Power cut"


def test_decision_exposes_every_signal(shipped_pack: Any) -> None:
    d = decide(
        "Earthquake felt on site, magnitude 5; cracked bund, oil spilling.",
        shipped_pack.taxonomy,
        {"earthquake.magnitude": 5},
    )
    ev = d.evidence["NAT.earthquake"]
    assert ev.lexicon > 0 and ev.facts > 0 and ev.model > 0
    assert d.demoted.get("IND.liquid_spill") == "NAT.earthquake"
    assert [link.kind for link in d.secondary] == ["cascade"]


def test_reasons_stay_within_the_cap(shipped_pack: Any) -> None:
    text = (
        "Explosion then fire at the depot after the storm: roof collapsed, tanker overturned, "
        "diesel spilling into the river, power cut, chlorine cloud, two workers injured."
    )
    assert len(categorise(text, shipped_pack.taxonomy).reasons) <= 8
