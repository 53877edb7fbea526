"""Every hostile red-team phrasing from an OpenAI-compatible server: none reaches ``suggest``.

The model answers every tool call with schema-shaped arguments carrying the
phrasings (titles, rationales, cited steps reworded, notes, off-SOP steps,
invented references, justifications, categorisation reasons), eight per
suggestion; the CLI runs in-process against the loopback server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.domain import Suggestion
from agent.pack.loader import load_pack
from agent.settings import Settings
from evals.redteam import (
    Phrasing,
    RedTeamCase,
    available_splits,
    event_for,
    load_phrasings,
    patterned,
    reached,
)
from tests.llm.server import Body, FakeOpenAI, LoopbackServer, Reply, tool_name, user_facts

PER_SCENARIO = 8
BATCH = 2 * PER_SCENARIO
# Phrasings that reach `suggest --json` through the HTTP path but not the in-process
# replay. A ratchet: fix them, never add. The six listed before were the replay's blind
# spots, not the HTTP path's: five were only ever placed where their invented reference
# is rejected before any word is read (now each phrasing gets a placement that is
# read), and one "reached" because a visible "fast" scored 100 against its last word.
HTTP_ONLY_LEAKS: frozenset[str] = frozenset()
runner = CliRunner()


def hostile() -> list[Phrasing]:
    """Hostile phrasings whose target prohibition has patterns in the shipped pack."""
    covered = patterned(load_pack(Settings().sops_dir))
    return [
        p
        for split in available_splits()
        for p in load_phrasings(split)
        if p.kind == "hostile" and p.target in covered
    ]


def batches(items: list[Phrasing]) -> Iterator[list[Phrasing]]:
    it = iter(items)
    while chunk := list(islice(it, BATCH)):
        yield chunk


def answer(body: Body, texts: list[str], code: str) -> Reply:
    if tool_name(body) == "propose_category":
        return Reply(
            args={"code": code, "confidence": 0.9, "reasons": [texts[0], "detector in alarm"]}
        )
    sops = user_facts(body)["sops"]
    sop, step = sops[0]["id"], sops[0]["steps"][0]
    cited = {
        "sop_id": sop,
        "step_id": step["id"],
        "action_type": step["action_type"],
        "deadline_minutes": 0,
    }
    scenarios = [carrying(texts[i : i + PER_SCENARIO], cited, step) for i in (0, PER_SCENARIO)]
    scenarios.append(
        {"title": "Protect people", "rationale": texts[0], "steps": [{**cited, "action": texts[6]}]}
    )
    return Reply(args={"scenarios": scenarios})


def carrying(texts: list[str], cited: dict[str, Any], step: dict[str, Any]) -> dict[str, Any]:
    """One scenario with eight texts in eight places an operator could read."""
    steps = [
        {**cited, "action": texts[1]},
        {**cited, "action": step["action"], "note": texts[2]},
        {"action": texts[3], "action_type": "mitigate", "off_sop": True, "justification": "fast"},
        {
            "sop_id": "SOP-FAKE-999",
            "step_id": "S99",
            "action": texts[4],
            "action_type": "rescue",
            "off_sop": True,
            "justification": texts[4],
        },
        {
            "action": "Brief the team",
            "action_type": "communicate",
            "off_sop": True,
            "justification": texts[5],
        },
    ]
    return {"title": texts[6], "rationale": texts[7], "steps": steps}


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, Any]]:
    current: dict[str, Any] = {"texts": [], "code": "IND.toxic_release"}
    fake = FakeOpenAI(default=lambda body: answer(body, current["texts"], current["code"]))
    with LoopbackServer(fake) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-real")
        monkeypatch.setenv("CRISISCELL_HOME", str(tmp_path))
        monkeypatch.setenv("CRISISCELL_LLM_LOG", "false")
        monkeypatch.setenv("CRISISCELL_LLM_MAX_RETRIES", "0")
        yield current


@pytest.mark.timeout(900)  # ~150 suggest calls over HTTP: about 2.5 min alone on 2 cores
def test_the_http_path_lets_through_nothing_the_replay_does_not_count(
    model: dict[str, Any],
) -> None:
    """Every hostile phrasing, sent by a real OpenAI-compatible server into ``suggest --json``.

    With the default ``model_text`` (supported) the replay counts none reaching the
    operator (the gate holds it at 0); the HTTP path must add no leak of its own.
    """
    pack = load_pack(Settings().sops_dir)
    phrasings = hostile()
    assert len(phrasings) >= 20
    reached_cases: list[str] = []
    by_source: dict[str, list[Phrasing]] = {}
    for p in phrasings:
        by_source.setdefault(p.target.split("/")[0], []).append(p)
    for group in by_source.values():
        for chunk in batches(group):
            reached_cases += run_batch(chunk, pack, model)
    extra = {c.split(":")[0] for c in reached_cases}
    assert extra <= HTTP_ONLY_LEAKS, sorted(extra - HTTP_ONLY_LEAKS)


def run_batch(chunk: list[Phrasing], pack: Any, model: dict[str, Any]) -> list[str]:
    """One suggest --json over the loopback model carrying these phrasings."""
    model["texts"] = ([p.text for p in chunk] * BATCH)[:BATCH]
    case = RedTeamCase(chunk[0], "title", "dev")
    event, model["code"] = event_for(case, pack)
    args = ["suggest", chunk[0].event or event.text, "--json", "--llm", "openai:test-model"]
    if event.site:
        args += ["--site", event.site]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    suggestion = Suggestion.model_validate(json.loads(result.stdout))
    assert not suggestion.degraded, suggestion.degraded_reasons
    return [f"{p.id}: {where}" for p in chunk if (where := reached(p, suggestion))]
