"""French in, French out: a French report's plan in the SOP's own French words."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml

from agent.domain import Event, Scenario, ScenarioStep
from agent.pack.models import Sop
from agent.rules.french import language_of, with_french
from agent.rules.requirements import notification_text

SOP = Sop.model_validate(yaml.safe_load("""
id: SOP-IND-TST-009
version: 1.0.0
status: approved
title: Toxic leak
title_fr: Fuite toxique
owner: hse
valid_from: 2025-01-01
applies_to: {categories: ["*"]}
parameters: {sitrep_minutes: 30}
roles: {IC: {ics: incident_commander}, liaison: {ics: liaison_officer}}
steps:
  - {id: S01, phase: alert, action: "Isolate 100 m around the leak, approach from upwind",
     action_fr: "Isoler 100 m autour de la fuite, approcher par l'amont du vent",
     action_type: isolate, owner: IC, deadline: PT10M, mandatory: true}
  - {id: S02, phase: report, action: "Report to the cell every {sitrep_minutes} min",
     action_fr: "Faire un point à la cellule toutes les {sitrep_minutes} min",
     action_type: communicate, owner: IC, deadline: PT30M}
  - {id: S03, phase: care, action: "Rinse exposed skin with water",
     action_type: rescue, owner: IC, deadline: PT15M}
notifications:
  - {to: fire_rescue, within: PT5M, mandatory: true, basis: 18/112}
"""))


def step(step_id: str, action: str, **extra: object) -> ScenarioStep:
    return ScenarioStep.model_validate({
        "sop_id": SOP.id, "step_id": step_id, "action": action, "action_type": "isolate",
        "deadline": timedelta(minutes=10), **extra,
    })


def plan(*steps: ScenarioStep) -> Scenario:
    return Scenario(id="A", title="t", rationale="r", steps=list(steps))


def test_a_cited_step_gets_the_sops_french_words_with_parameters_filled() -> None:
    french = with_french(plan(
        step("S01", "Isolate 100 m around the leak, approach from upwind"),
        step("S02", "Report to the cell every 30 min"),
    ), [SOP])
    assert [s.action_fr for s in french.steps] == [
        "Isoler 100 m autour de la fuite, approcher par l'amont du vent",
        "Faire un point à la cellule toutes les 30 min",
    ]
    assert french.steps[0].action == "Isolate 100 m around the leak, approach from upwind"


def test_reworded_untranslated_and_off_sop_steps_get_no_french() -> None:
    french = with_french(plan(
        step("S01", "Isolate 50 m around the leak"),  # reworded: no longer the SOP's step
        step("S03", "Rinse exposed skin with water"),  # the SOP has no French for it
        step("S01", "Isolate 100 m around the leak, approach from upwind", off_sop=True),
    ), [SOP])
    assert [s.action_fr for s in french.steps] == [None, None, None]


def test_notifications_read_in_french() -> None:
    note = SOP.notifications[0]
    french = with_french(plan(step(note.ref, notification_text(note))), [SOP])
    assert french.steps[0].action_fr == "Prévenir fire rescue (18/112)"


@pytest.mark.parametrize(
    ("event", "language"),
    [
        (Event(text="Fuite d'ammoniac dans la salle des machines"), "fr"),
        (Event(text="Ammonia leak in the machine room"), "en"),
        (Event(text="Ammonia leak in the machine room", language="fr"), "fr"),
        (Event(text="Fuite d'ammoniac dans la salle des machines", language="en"), "en"),
    ],
)
def test_the_language_is_the_events_else_read_from_it(event: Event, language: str) -> None:
    assert language_of(event) == language
