"""Both model prompts tell the model the event is data, not instructions."""

from __future__ import annotations

import pytest

from agent.llm.openai_compatible import PROMPTS
from agent.prompts import load_prompt


@pytest.mark.parametrize("node", sorted(PROMPTS))
def test_prompt_marks_the_event_as_untrusted_data(node: str) -> None:
    text = load_prompt(PROMPTS[node]).text
    assert "`event`" in text and "instructions to you" in text
