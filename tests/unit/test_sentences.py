"""Sentence bounds shared by the readers (agent/rules/sentences.py)."""

from __future__ import annotations

from agent.rules.sentences import sentence_around, sentence_spans


def test_a_decimal_point_ends_no_sentence_and_a_semicolon_ends_one_by_default() -> None:
    text = "outage of 2.5 hours; rto 4 h. next"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "outage of 2.5 hours", " rto 4 h", " next"
    ]
    assert [text[a:b] for a, b in sentence_spans(text, ".!?\n")] == [
        "outage of 2.5 hours; rto 4 h", " next"
    ]


def test_the_sentence_around_a_span_stops_at_the_nearest_breaks() -> None:
    text = "first. 300 homes cut since 3 hours; later"
    start = text.index("300")
    a, b = sentence_around(text, start, start + 3)
    assert text[a:b] == " 300 homes cut since 3 hours"
    assert sentence_around("no break", 3, 5) == (0, 8)
