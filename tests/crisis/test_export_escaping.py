"""The ICS-201 and ICS-214 Markdown exports carry no live HTML, image, link or autolink."""

from __future__ import annotations

from collections.abc import Callable

from agent.crisis.exports import ics201, ics201_markdown, ics214, ics214_markdown
from agent.crisis.service import CrisisService
from agent.domain import Event, Scenario
from agent.llm.base import ScenarioRequest
from agent.llm.offline import OfflineLLM
from tests.fakes import FakeLLM

HOSTILE = (
    "<img src=x onerror=alert(1)> ![](http://beacon.example/p.png) "
    "[details](javascript:alert(1)) <https://evil.example> www.evil.example"
)
EVENT = Event(text=f"Ammonia leak near compressor 3, vapour cloud\n# Fake heading\n{HOSTILE}",
              site="SITE-01")


class HostileTitles(FakeLLM):
    """Offline scenarios whose titles and rationales are hostile Markdown."""

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        return [s.model_copy(update={"title": HOSTILE, "rationale": HOSTILE})
                for s in OfflineLLM().propose_scenarios(request)]


def assert_inert(markdown: str) -> None:
    assert "<img" not in markdown and "<script" not in markdown and "<https" not in markdown
    assert "![](" not in markdown and "](javascript:" not in markdown and "](http" not in markdown
    assert "://" not in markdown and "www.evil" not in markdown
    assert "\n# Fake heading" not in markdown


def test_ics201_markdown_escapes_event_and_model_text(
    make_service: Callable[..., CrisisService],
) -> None:
    service = make_service(llm=HostileTitles())
    result = service.open(EVENT, author="alice", crisis_id="CR-MD")
    service.approve("CR-MD", 1, author="<b>mallory</b>")
    current = service.current("CR-MD")
    assert current.suggestion is not None
    form = ics201(result.crisis, current.suggestion, current.approval, service.deps.pack)
    markdown = ics201_markdown(form)
    assert_inert(markdown)
    assert "Ammonia leak near compressor 3" in markdown
    assert "\\!\\[\\]" in markdown  # shown as text, not as an image


def test_ics214_markdown_escapes_log_entries(make_service: Callable[..., CrisisService]) -> None:
    service = make_service()
    service.open(EVENT, author="alice", crisis_id="CR-214")
    service.note("CR-214", HOSTILE, author="<img src=x>")
    form = ics214(service.log.require("CR-214"), service.log.entries("CR-214"))
    assert_inert(ics214_markdown(form))
