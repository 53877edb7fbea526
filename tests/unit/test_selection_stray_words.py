"""Only the SOPs the event calls for: one stray word must not pull in a whole procedure.

Events written for this test, not taken from the understanding corpus. The pipeline
runs offline on the shipped pack with no archive, so only the text decides.
``TestSetAside`` was written before any tuning and is not used to tune the rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.context import Deps
from agent.domain import Event, Suggestion
from agent.llm.offline import OfflineLLM
from agent.service import Suggester
from agent.settings import Settings


@pytest.fixture(scope="module")
def suggester(shipped_pack: Any) -> Suggester:
    deps = Deps(
        llm=OfflineLLM(), settings=Settings(), pack_override=shipped_pack, incidents_override=[]
    )
    return Suggester(deps=deps)


def run(suggester: Suggester, text: str, lang: str = "en") -> Suggestion:
    return suggester.suggest(Event(text=text, language=lang))


def sop_ids(s: Suggestion) -> set[str]:
    return {r.id for r in s.sops}


FIRE = "SOP-IND-FIR-002"
COLLAPSE = "SOP-IND-COL-022"
TRANSPORT = "SOP-TRN-ACC-021"


class TestStrayWords:
    """The cases of issue 11 and their French twins."""

    def test_fire_brigade_at_a_bus_crash_is_not_an_industrial_fire(
        self, suggester: Suggester
    ) -> None:
        s = run(
            suggester,
            "A coach carrying 30 pensioners left the road and rolled down an embankment on the "
            "N85. Fire brigade on scene cutting people out, several injured.",
        )
        assert s.category.code == "TRN.road"
        assert TRANSPORT in sop_ids(s)
        assert FIRE not in sop_ids(s)

    def test_pompiers_sur_place_at_a_bus_crash(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Accident de car scolaire sur la D12 : le car s'est couché dans le fossé, les "
            "pompiers sont sur place, une dizaine de blessés légers.",
            "fr",
        )
        assert s.category.code == "TRN.road"
        assert FIRE not in sop_ids(s)

    def test_ceo_on_a_flight_is_not_an_air_accident(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Ransomware has encrypted the file servers at the Lyon office and a ransom note is "
            "on every screen. The CEO is on a flight to Singapore until tonight.",
        )
        assert s.category.code == "CYB.ransomware"
        assert TRANSPORT not in sop_ids(s)
        assert "TRN.air" not in s.category.secondary

    def test_workers_collapsed_is_not_a_structure(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Two operators collapsed near the chlorine dosing skid; a greenish cloud is drifting "
            "towards the car park.",
        )
        assert s.category.code == "IND.toxic_release"
        assert COLLAPSE not in sop_ids(s)

    def test_ouvriers_effondres_is_not_a_structure(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Deux ouvriers se sont effondrés au fond de la cuve, odeur d'oeufs pourris, le "
            "détecteur H2S est en alarme.",
            "fr",
        )
        assert s.category.code == "IND.toxic_release"
        assert COLLAPSE not in sop_ids(s)

    def test_directeur_dans_l_avion_during_a_fire(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Incendie dans l'entrepôt B, fumée noire, les pompiers sont sur place. Le directeur "
            "du site est dans l'avion pour Lyon.",
            "fr",
        )
        assert s.category.code == "IND.fire"
        assert "TRN.air" not in s.category.secondary
        assert TRANSPORT not in sop_ids(s)

    def test_manager_on_a_plane_during_a_power_cut(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Power cut at the Lyon site since 10:00, generators running. The site manager is on "
            "a plane back from Madrid.",
        )
        assert s.category.code == "INF.power_outage"
        assert TRANSPORT not in sop_ids(s)

    def test_a_plane_crash_is_still_an_air_accident(self, suggester: Suggester) -> None:
        s = run(suggester, "A plane crashed on the runway, the pilot is trapped in the cockpit.")
        assert s.category.code == "TRN.air"
        assert TRANSPORT in sop_ids(s)

    def test_a_real_fire_keeps_its_sop(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Fire in the solvent store, thick black smoke through the roof, fire brigade on "
            "scene, staff evacuated to the assembly point.",
        )
        assert s.category.code == "IND.fire"
        assert FIRE in sop_ids(s)


class TestSetAside:
    """Written before tuning, never tuned on: the report says how many pass."""

    def test_cyclist_hit_with_fire_brigade_on_scene(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "A delivery van hit a cyclist at the site entrance on the main road. The fire "
            "brigade is on scene; the cyclist is conscious and talking.",
        )
        assert s.category.code == "TRN.road"
        assert FIRE not in sop_ids(s)

    def test_directeur_dans_l_avion_during_a_power_cut(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Coupure de courant générale sur l'usine depuis 14h, le groupe électrogène a "
            "démarré. Notre directeur général est dans l'avion pour Montréal.",
            "fr",
        )
        assert s.category.code == "INF.power_outage"
        assert TRANSPORT not in sop_ids(s)

    def test_driver_collapsed_at_the_wheel(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "A forklift driver collapsed at the wheel in aisle 4, suspected heart attack; "
            "colleagues started CPR and the ambulance is on its way.",
        )
        assert s.category.code == "HLT.occupational_injury"
        assert COLLAPSE not in sop_ids(s)

    def test_malaise_sur_la_ligne(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Un opérateur a fait un malaise et s'est effondré sur la ligne 3, les pompiers "
            "sont là.",
            "fr",
        )
        assert s.category.code == "HLT.occupational_injury"
        assert not {COLLAPSE, FIRE} & sop_ids(s)

    def test_a_real_french_fire_keeps_its_sop(self, suggester: Suggester) -> None:
        s = run(
            suggester,
            "Incendie dans l'atelier de peinture, fumée noire épaisse, le personnel est évacué "
            "et les pompiers attaquent le feu.",
            "fr",
        )
        assert s.category.code == "IND.fire"
        assert FIRE in sop_ids(s)


CYBER_OUTAGE = "SOP-CYB-OUT-013"


class TestNamedInPassing:
    """A secondary code named in passing is listed as tentative and brings in no SOP."""

    def test_a_database_that_collapsed_is_no_structural_collapse(
        self, suggester: Suggester
    ) -> None:
        s = run(
            suggester,
            "La base de données de l'ERP s'est effondrée à 9h, plus aucune commande ne peut "
            "être saisie.",
            "fr",
        )
        assert s.category.code == "CYB.it_ot_outage"
        assert CYBER_OUTAGE in sop_ids(s)
        assert set(s.category.tentative) <= set(s.category.secondary)
        assert COLLAPSE not in sop_ids(s)

    def test_a_fire_named_once_after_an_explosion_keeps_the_fire_sop(
        self, suggester: Suggester
    ) -> None:
        s = run(
            suggester,
            "Explosion in the grinding workshop, windows blown out, 3 injured; fire still "
            "burning in the silo.",
        )
        assert "IND.fire" in s.category.secondary
        assert "IND.fire" not in s.category.tentative
        assert FIRE in sop_ids(s)

    def test_tentative_codes_select_nothing(self, shipped_pack: Any) -> None:
        from agent.domain import Category, Severity
        from agent.rules.selection import select_sops

        def chosen(tentative: list[str]) -> set[str]:
            category = Category(
                code="NAT.flood", confidence=0.8, secondary=["TRN.road"], tentative=tentative
            )
            picks = select_sops(shipped_pack.sops, category, Severity(level="S2"), {})
            return {c.sop.id for c in picks}

        assert TRANSPORT in chosen([])
        assert TRANSPORT not in chosen(["TRN.road"])

    def test_the_briefing_marks_a_tentative_code(self, suggester: Suggester) -> None:
        from agent.briefing import render_briefing

        s = run(
            suggester,
            "La base de données de l'ERP s'est effondrée à 9h, plus aucune commande ne peut "
            "être saisie.",
            "fr",
        )
        assert "IND.structural_collapse?" in render_briefing(s)
