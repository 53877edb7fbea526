"""Business continuity read from words (issue 10): degraded service, an objective passed.

Written before the patterns, from how operators and IT on-call write, EN and FR.
"""

from __future__ import annotations

import pytest

from agent.rules.text_facts import read_text

DEGRADED = [
    "Customers are getting timeouts at checkout since the deploy.",
    "Users see errors on every second login, the portal is up but flaky.",
    "The ERP is very slow for everyone this morning.",
    "The night shift is running on a skeleton crew after the flu wave.",
    "Le standard ne tourne qu'avec l'effectif minimum cette nuit.",
    "Les clients reçoivent des erreurs au paiement en ligne depuis 10 h.",
    "La messagerie est très lente pour tout le monde depuis ce matin.",
]

OVER_OBJECTIVE = [
    ("Our plan sets a 24 h recovery objective for deliveries, so we are now past it.", 24),
    ("Le PCA fixe un objectif de reprise de 8 heures pour la paie : nous l'avons dépassé.", 8),
    ("The RTO of 4 hours for the booking system has been breached.", 4),
]

NOT_DEGRADED = [
    "The building is slow to evacuate because of the narrow stairs.",
    "No customer impact, the failover took over in seconds.",
    "Customers were never affected by the switch maintenance.",
    "Our RTO for payroll is 24 hours; the system came back after two.",
]


@pytest.mark.parametrize("text", DEGRADED)
def test_a_service_that_works_badly_is_degraded(text: str) -> None:
    assert read_text(text)[0].get("continuity.status") == "degraded"


@pytest.mark.parametrize(("text", "rto"), OVER_OBJECTIVE)
def test_an_objective_the_text_says_is_passed_is_read_with_its_amount(
    text: str, rto: int
) -> None:
    facts = read_text(text)[0]
    assert facts.get("power.rto_hours") == rto, facts
    assert facts.get("continuity.status") == "outage_over_rto", facts


@pytest.mark.parametrize("text", NOT_DEGRADED)
def test_no_impact_is_not_degraded(text: str) -> None:
    assert read_text(text)[0].get("continuity.status") is None
