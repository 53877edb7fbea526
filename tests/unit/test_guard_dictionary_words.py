"""A word a dictionary knows is not read as a misspelling of another (French included)."""

from __future__ import annotations

from typing import Any

import pytest

from agent.guard.pack_guard import guard_for


@pytest.mark.parametrize(
    "text",
    [
        "Faire évaluer les réservoirs voisins par un ingénieur structure avant toute entrée",
        "Évaluer le périmètre avec les pompiers avant de rouvrir l'accès",
    ],
)
def test_a_real_word_is_not_a_typo_of_a_forbidden_one(shipped_pack: Any, text: str) -> None:
    assert guard_for(shipped_pack).check(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Les secouristes seront envoyés dans le nuage d'ammoniac sans ARI ni scaphandre",
        "Les gravats seront dégagés à la chargeuse alors que des personnes sont ensevelies",
        # an "-ez" imperative typed without its accent reaches its "-er" infinitive
        "Evacuez les riverains de votre propre autorité sans attendre le préfet",
        "Evacuez le village sous le vent maintenant",
    ],
)
def test_inflected_and_misspelt_forbidden_acts_are_still_caught(
    shipped_pack: Any, text: str
) -> None:
    assert guard_for(shipped_pack).check(text) is not None
