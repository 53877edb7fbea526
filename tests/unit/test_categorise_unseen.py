"""The offline categoriser on events of our own (EN and FR), not from the corpus.

``TestSetAside`` was written before tuning and is never used to tune the rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.domain import Category, Event
from agent.rules.categorise import categorise
from agent.rules.facts import assemble_facts


def run(pack: Any, text: str) -> Category:
    facts = assemble_facts(Event(text=text), pack.sites)[0]
    return categorise(text, pack.taxonomy, facts, sops=pack.sops)


class TestUnseen:
    """Events that drive the mechanisms: negated cues, resources, who a verb applies to."""

    def test_negated_fire_is_not_a_fire(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "No fire and no smoke: the fire alarm panel in building B has a faulty detector "
            "loop and the building management system shows a fault. Technician on the way.",
        )
        assert c.code != "IND.fire"
        assert "IND.fire" not in c.secondary

    def test_roof_collapsed_under_snow(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "The roof of warehouse 3 collapsed under the weight of snow overnight; nobody was "
            "inside and the racking is buried.",
        )
        assert c.code == "IND.structural_collapse"

    def test_ambulance_resource_is_not_a_casualty_event(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "Power cut across the whole site since 09:10, the grid operator reports a fault on "
            "the 63 kV line; an ambulance was sent as a precaution but nobody is hurt.",
        )
        assert c.code == "INF.power_outage"
        assert not {"HLT.occupational_injury", "HLT.mass_casualty"} & set(c.secondary)

    def test_french_cyber_with_stray_plane(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "Rançongiciel : tous les serveurs de fichiers sont chiffrés, une demande de rançon "
            "s'affiche. Le PDG est dans l'avion, injoignable jusqu'à ce soir.",
        )
        assert c.code == "CYB.ransomware"
        assert "TRN.air" not in c.secondary
        assert "REP.key_person_loss" not in c.secondary


class TestMechanisms:
    """Regression tests for the mechanisms changed for issues 10 and 11."""

    def test_a_resource_word_makes_no_secondary_code(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "Ambulance control: minibus on its side on the D906, many walking wounded, two "
            "trapped. Request all available ambulances, heavy rescue and the helicopter.",
        )
        assert c.code == "TRN.road"
        assert "TRN.air" not in c.secondary

    def test_a_hashtag_is_not_negated_by_the_clause_before(self, shipped_pack: Any) -> None:
        from agent.rules.cue_lexicon_cache import lexicon_for
        from agent.rules.cues import match
        from agent.rules.reading import read

        hits = match(read("je suis pas la seule 😬 #RGPD"), lexicon_for(shipped_pack.taxonomy))
        assert not any(h.negated and "rgpd" in h.span.lower() for h in hits)

    def test_an_emergency_plan_is_not_a_plane(self) -> None:
        from agent.rules.reading import stem

        assert stem("plane") != stem("plan")
        assert stem("planes") == stem("plane")


class TestSetAside:
    """Written before tuning, never tuned on: the report says how many pass."""

    def test_flooded_basement(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "Flooding in the basement after heavy rain: 40 cm of water around the electrical "
            "switchboards, no injuries.",
        )
        assert c.code == "NAT.flood"

    @pytest.mark.xfail(reason="set aside before tuning, not tuned on: fails, see the report")
    def test_pas_de_feu_alarme_intempestive(self, shipped_pack: Any) -> None:
        c = run(
            shipped_pack,
            "Pas de feu, pas de fumée : l'alarme incendie du bâtiment C s'est déclenchée à "
            "cause d'un détecteur défectueux, le technicien réarme la centrale.",
        )
        assert c.code != "IND.fire"
