"""Untrusted text made inert for the terminal and for Markdown."""

from __future__ import annotations

import pytest

from agent.event_input import event_from_text
from agent.safe_text import clean_block, clean_line, labelled, markdown_block, markdown_inline


@pytest.mark.parametrize("raw", [
    "\x1b[2K\x1b[1A", "\x1b]8;;http://x\x1b\\", "\x1b]0;title\x07", "\x9b2J", "\x1bc",
    "\x00\x08\x7f", "\u202e\u2066\u200b",
])
def test_escapes_and_controls_are_stripped(raw: str) -> None:
    assert clean_line(f"a{raw}b") == "ab"


def test_lines_collapse_or_stay_apart_as_asked() -> None:
    assert clean_line("a\r\nb\u2028c\td") == "a b c d"
    assert clean_block("a\r\nb\rc\x1b[31m\td") == "a\nb\nc d"


def test_labelled_indents_every_further_line_under_its_label() -> None:
    assert labelled("note:", "one\n[rules] COMPLIANT") == "note: one\n      [rules] COMPLIANT"


@pytest.mark.parametrize("hostile", [
    "<img src=x onerror=alert(1)>", "![](http://beacon.example/p.png)",
    "[click](javascript:alert(1))", "<https://evil.example>", "see https://evil.example/x",
    "www.evil.example", "<script>alert(1)</script>",
])
def test_markdown_is_inert(hostile: str) -> None:
    out = markdown_inline(hostile)
    assert "<" not in out and "](" not in out and "://" not in out
    assert "javascript:" not in out and "www." not in out.replace("www\\[.\\]", "")


def test_markdown_block_keeps_lines_but_no_block_syntax() -> None:
    out = markdown_block("first\n# heading\n- item\n> quote\n1. one")
    assert out.split("  \n") == ["first", "\\# heading", "\\- item", "&gt; quote", "1\\. one"]


def test_event_text_is_neutralised_at_intake() -> None:
    tail = " near the ammonia compressor of unit 3, vapour cloud drifting to the fence"
    event = event_from_text(f"Leak\x1b[2K at\x1b]0;x\x07{tail}\nsecond line", "argument",
                            facts={"note": "a\x1b[31mb"})
    assert event.text == f"Leak at{tail}\nsecond line"
    assert event.facts == {"note": "ab"}
