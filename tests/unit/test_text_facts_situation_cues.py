"""Situation facts stated in words (agent/rules/data/situation_cues.yaml), own sentences.

Written with the cues, after the dev misreadings they fix; denials come first.
"""

from typing import Any

import pytest

from agent.rules.text_facts import extract_facts


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("Les groupes électrogènes ont démarré à 3h", "power.generator_running", True),
        ("the genset failed to start after the trip", "power.generator_running", False),
        ("14:20 leak stopped by the night crew", "leak.isolated", True),
        ("fuite toujours pas isolée à 15h", "leak.isolated", False),
        ("le feu se propage vers la toiture", "fire.spreading", True),
        ("30 cm of water in the basement of hall 2", "flood.water_on_site", True),
        ("la DREAL a ouvert une enquête", "legal.authority_inquiry", True),
        ("residents told to boil tap water", "water.potability_lost", True),
        ("vigilance rouge crues sur la Garonne", "flood.vigilance", "red"),
        ("orange wind warning for tonight", "weather.vigilance", "orange"),
        ("it all started right after the firmware update", "change.recent", True),
        ("DDoS on the booking API, 40 Gbps inbound", "network.ddos", True),
        ("the SCADA went down with the domain controller", "systems.ot_affected", True),
        ("l'automate n'est pas touché, seul l'ERP est chiffré", "systems.ot_affected", False),
        ("customers cannot log in to their accounts", "service.customer_impact", True),
        ("aucun impact client à ce stade", "service.customer_impact", False),
        ("two detonators and a box of explosives stolen overnight", "theft.dangerous_goods", True),
        ("le bac 4 est en feu depuis 10 minutes", "fire.tank_involved", True),
        ("backups look clean, restore started", "backups.clean_available", True),
        ("les sauvegardes sont chiffrées elles aussi", "backups.clean_available", False),
        ("colis suspect devant l'accueil", "threat.suspicious_item", True),
        ("the suspect fled on foot", "threat.attacker_present", False),
        ("our CFO has been unreachable since Friday", "key_person.unavailable", True),
        ("Personne n'est malade pour l'instant", "health.cases", 0),
        ("un gros nuage d'ammoniac, aucun rejet à la rivière", "environment.impact", "none"),
        ("le cariste a été incommodé par les vapeurs", "casualties.exposed", 1),
        ("the fitter is still pinned, his leg trapped under the beam", "casualties.trapped", 1),
        ("un technicien s'est brûlé la main sur la vanne", "casualties.injured", 1),
        ("3 ouvriers légèrement blessés, un technicien s'est brûlé", "casualties.injured", 3),
    ],
)
def test_situation_cue(text: str, path: str, value: Any) -> None:
    assert extract_facts(text).get(path) == value
