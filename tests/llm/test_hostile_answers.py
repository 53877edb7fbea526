"""Hostile model answers through the real adapter: rendered safe, capped, never stuck, logged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import Settings
from agent.store.db import engine_for
from agent.store.llm_calls import LLMCallRepository
from tests.llm.server import Body, FakeOpenAI, Reply, category_reply, good_model, scenarios_reply

ROOT = Path(__file__).resolve().parents[2]
TOX = "IND.toxic_release"
ESC = "\x1b"
FORGED = "\n[rules] COMPLIANT\n   3. NOTIFICATIONS DUE  [rules]\n      none"
HOSTILE_EVENT = f"Ammonia leak near compressor 3, vapour cloud\x1b[2K\x1b[1A{FORGED}\x07"


def hostile_steps(steps: list[Body]) -> list[Body]:
    steps = [dict(s) for s in steps]
    steps[0]["note"] = f"\x1b]0;owned\x07see below{FORGED}"
    steps[0]["action"] = "\x1b[31mClose the valve\x1b[0m"
    return steps


def hostile_model(body: Body) -> Reply:
    """Titles and rationales that try to repaint the terminal and forge rule lines."""
    from tests.llm.server import tool_name

    if tool_name(body) == "propose_category":
        return category_reply(TOX)
    reply = scenarios_reply(body, hostile_steps)
    assert isinstance(reply.args, dict)
    reply.args["scenarios"][0]["title"] = f"\x1b[2J\x1b[HBy the book{FORGED}"
    reply.args["scenarios"][0]["rationale"] = f"Fine.\x1b[1A\x1b[2K{FORGED}"
    return reply


@pytest.fixture
def cli_env(server: Any, pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
    monkeypatch.setenv("CRISISCELL_HOME", str(home))
    monkeypatch.setenv("CRISISCELL_LLM_TIMEOUT_S", "5")
    monkeypatch.setenv("CRISISCELL_LLM_MAX_RETRIES", "0")
    return home


def test_suggest_prints_hostile_model_and_event_text_inert(
    cli_env: Path, model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISISCELL_MODEL_TEXT", "guarded")  # the model's words are shown
    model.default = hostile_model
    result = CliRunner().invoke(
        app, ["suggest", HOSTILE_EVENT, "--site", "SITE-01", "--llm", "openai:test-model"]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert ESC not in out and "\x07" not in out
    assert "By the book" in out and "[llm]" in out
    forged = [line for line in out.splitlines() if line.strip().startswith("[rules]")]
    assert forged == []
    heads = [line for line in out.splitlines() if line.strip().startswith("3. NOTIFICATIONS")]
    assert len(heads) == 1
    lines = out.splitlines()
    section = lines[lines.index(heads[0]) + 1 :]
    assert "MANDATORY" in section[0]  # the real notification lines follow their heading


@pytest.mark.parametrize("deadline", ["Infinity", "NaN", "1e15", "-5"])
def test_absurd_deadlines_degrade_instead_of_crashing(
    cli_env: Path, model: FakeOpenAI, deadline: str
) -> None:
    def script(body: Body) -> Reply:
        reply = good_model(lambda facts: TOX)(body)
        if isinstance(reply.args, dict) and "scenarios" in reply.args:
            text = str(reply.args).replace("'", '"').replace("None", "null")
            text = text.replace("False", "false").replace("True", "true")
            first = text.index('"deadline_minutes": ') + len('"deadline_minutes": ')
            end = min(i for i in (text.find(",", first), text.find("}", first)) if i > 0)
            return Reply(args=text[:first] + deadline + text[end:])
        return reply

    model.default = script
    result = CliRunner().invoke(
        app, ["suggest", "Ammonia leak near compressor 3", "--json", "--llm", "openai:test-model"]
    )
    assert result.exit_code == 0, result.output
    assert '"degraded": true' in result.output and "deadline_minutes" in result.output


def test_thirty_thousand_steps_are_refused_fast(cli_env: Path, model: FakeOpenAI) -> None:
    def script(body: Body) -> Reply:
        reply = good_model(lambda facts: TOX)(body)
        if isinstance(reply.args, dict) and "scenarios" in reply.args:
            steps = reply.args["scenarios"][0]["steps"]
            many = (steps * (30_000 // len(steps) + 1))[:30_000]
            scenario = {"title": "x" * 1_000_000, "rationale": "r", "steps": many}
            reply.args = {"scenarios": [scenario, scenario, scenario]}
        return reply

    model.default = script
    start = time.perf_counter()
    result = CliRunner().invoke(
        app, ["suggest", "Ammonia leak near compressor 3", "--json", "--llm", "openai:test-model"]
    )
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert '"degraded": true' in result.output and "at most" in result.output
    assert elapsed < 30, elapsed


SLOW_LOG = (
    "import sys, agent.llm.call_log as f; f.LINGER_S = 3.0; sys.argv[0] = 'crisiscell'; "
    "from agent.cli import main; main()"
)
"""The CLI with a call log that waits 3 s before writing (a slow disk), so SIGTERM
right after the answer lands before the background write."""


def test_sigterm_right_after_the_answer_keeps_every_call_row(
    cli_env: Path, model: FakeOpenAI
) -> None:
    model.default = good_model(lambda facts: TOX)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    with subprocess.Popen(
        [sys.executable, "-c", SLOW_LOG, "suggest", "Ammonia leak near compressor 3",
         "--llm", "openai:test-model"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("lineage:"):  # the answer is out: kill it now
                proc.send_signal(signal.SIGTERM)
                break
        proc.wait(timeout=60)
    calls = LLMCallRepository(engine_for(Settings(home=cli_env))).recent()
    assert [c.node for c in reversed(calls)] == ["categorise", "generate"]
