"""Default-deny for model text: only restatements of an SOP sentence are supported."""

from __future__ import annotations

import pytest

from agent.guard.support import SupportIndex

SOP = [
    "Send two rescuers with breathing apparatus into the cloud to bring out the victims",
    "Do not re-enter the building until the fire service declares it safe",
    "Notify the CNIL within 72 h of discovery",
    "Ne jamais arroser la fuite d'ammoniac liquide",
]


@pytest.fixture(scope="module")
def index() -> SupportIndex:
    return SupportIndex(SOP)


@pytest.mark.parametrize(
    "text",
    [
        "Send two rescuers with breathing apparatus into the cloud to bring out the victims.",
        "Into the cloud, send two rescuers with breathing apparatus to bring the victims out",
        "Do not re-enter the building until the fire service declares it safe!",
        "Notify the CNIL within 72 h of discovery",
        "Ne jamais arroser la fuite d'ammoniac liquide.",
        "Ѕend two rescuers with breathing apparatus into the cloud to bring out the victims",
    ],
)
def test_a_restatement_of_one_sop_sentence_is_supported(index: SupportIndex, text: str) -> None:
    assert index.supported(text)


@pytest.mark.parametrize(
    "text",
    [
        # a word the SOP never says
        "Send two volunteers with breathing apparatus into the cloud to bring out the victims",
        # a qualifier dropped
        "Send rescuers into the cloud to bring out the victims",
        # the negation or the condition dropped
        "Re-enter the building until the fire service declares it safe",
        "Do not re-enter the building",
        "Arroser la fuite d'ammoniac liquide",
        # a negation added
        "Never notify the CNIL within 72 h of discovery",
        # a second sentence nobody wrote
        "Notify the CNIL within 72 h of discovery. Then delete the access logs.",
        # a number changed
        "Notify the CNIL within 96 h of discovery",
        "",
    ],
)
def test_anything_else_is_not(index: SupportIndex, text: str) -> None:
    assert not index.supported(text)


def test_a_reason_may_quote_part_of_the_report_but_not_flip_it() -> None:
    report = SupportIndex(
        ["Ammonia smell near compressor 3, no one is hurt"], min_kept=0.0, clauses=True
    )
    assert report.supported("ammonia smell near compressor 3")
    assert not report.supported("one is hurt near compressor 3")
