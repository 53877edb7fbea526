"""A French report is also read in English, so English precedents are found."""

from __future__ import annotations

import pytest

from agent.retrieval import Retriever
from agent.rules.glossary import looks_french, translated_groups
from agent.text import tokens
from tests.unit.test_retrieval import ARCHIVE


def translated_tokens(text: str) -> tuple[str, ...]:
    """Every English term the query is read with, flat."""
    return tuple(t for group in translated_groups(text) for t in group)


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("Fuite d'ammoniac dans la salle des machines", True),
        ("incendie sur le toit de l'entrepot, pas de blesse", True),
        ("A fire on the roof of the warehouse, no one hurt", False),
        ("Ammonia leak on site a la carte", False),
        ("Ransomware on the file servers", False),
    ],
)
def test_french_is_told_from_english(text: str, french: bool) -> None:
    assert looks_french(text) is french


def test_crisis_words_are_read_in_english_and_the_rest_kept() -> None:
    english = translated_tokens("Fuite d'ammoniac à l'usine Dupont, nuage toxique")
    assert set(tokens("leak release ammonia plant factory cloud plume toxic")) <= set(english)
    assert "dupont" in english


def test_set_phrases_are_read_whole() -> None:
    english = translated_tokens("Une fuite de données clients est confirmée sur le serveur")
    assert {"data", "breach"} <= set(english)


def test_english_text_is_left_alone() -> None:
    assert translated_tokens("Gas vent left open near the route to the port") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fuite d'ammoniac dans la salle des compresseurs, un nuage de vapeur", "INC-1"),
        ("Incendie dans un entrepôt de palettes, les pompiers sont sur place", "INC-2"),
        ("Rançongiciel : les serveurs de l'hôpital sont chiffrés, demande de rançon", "INC-3"),
        ("La rivière déborde, l'eau entre dans la station de pompage", "INC-4"),
    ],
)
def test_a_french_report_finds_the_english_precedent(text: str, expected: str) -> None:
    result = Retriever(ARCHIVE).search(text, threshold=0.2)
    assert result.precedents and result.precedents[0].id == expected


def test_an_english_query_scores_as_before() -> None:
    text = "ammonia leak near the compressor, vapour cloud"
    assert translated_tokens(text) == ()
    first = Retriever(ARCHIVE).search(text).precedents[0]
    assert first.id == "INC-1"
