"""kill -9 at every node boundary of ``crisis open`` and ``crisis update``: never wedged.

The real CLI runs in a subprocess with ``CRISISCELL_TEST_KILL_AFTER=<node>`` (the test
hook of :mod:`agent.crisis.streaming`), so it SIGKILLs itself right after that node.
Then the crisis must be at a checkpoint no later than that node with nothing half
written in the log, and ``crisis show``, ``open --id`` (same id), ``update``,
``approve`` and ``close`` must all work. All killed runs of a module share one store
(one crisis id each) and run two at a time, to keep the suite short on two cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.crisis.checkpoint import interrupted
from agent.crisis.service import CrisisService
from agent.crisis.streaming import KILL_AFTER_ENV
from agent.graph import NODES
from agent.settings import Settings
from agent.state import State
from agent.store.crisis_log import CrisisLog
from agent.store.db import dispose_engines, engine_for
from tests.conftest import ROOT
from tests.llm.server import (
    Body,
    FakeOpenAI,
    LoopbackServer,
    Reply,
    category_reply,
    scenarios_reply,
    tool_name,
)

LEAK = "Ammonia leak near compressor 3, vapour cloud"
UPDATE = "one operator is missing near the compressor"
ORDER = list(NODES)
OFFLINE_NODES = [n for n in ORDER if n != "repair"]
"""Offline scenarios are compliant by construction, so only a model reaches ``repair``."""
runner = CliRunner()


@dataclass(frozen=True)
class Kill:
    """One killed CLI run: which command, after which node, on which crisis."""

    command: str
    node: str

    @property
    def crisis_id(self) -> str:
        return f"CR-KILL-{self.command}-{self.node}"

    def args(self) -> list[str]:
        if self.command == "open":
            return open_args(self.crisis_id)
        return ["crisis", "update", self.crisis_id, UPDATE, "--json"]


def open_args(crisis_id: str) -> list[str]:
    return ["crisis", "open", LEAK, "--site", "SITE-01", "--id", crisis_id, "--json"]


ZYGOTE = """
import json, os, sys
from agent.cli import app
from agent.store.db import dispose_engines

def fork(job):
    pid = os.fork()
    if pid == 0:
        os.environ.update(job["env"])
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        try:
            app(job["args"], prog_name="crisiscell")
        except SystemExit as exc:
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        os._exit(0)
    return pid

def wait(pid):
    status = os.waitpid(pid, 0)[1]
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)

jobs = [json.loads(line) for line in sys.stdin]
inherited = dict(os.environ)
os.environ.update(jobs[0]["env"])
app(jobs[0]["args"], prog_name="crisiscell", standalone_mode=False)  # warm: imports, archive
os.environ.clear()
os.environ.update(inherited)
dispose_engines()  # no connection crosses a fork
codes = []
for i in range(1, len(jobs), 2):
    pids = [fork(job) for job in jobs[i:i + 2]]
    codes += [wait(pid) for pid in pids]
print(json.dumps(codes))
"""
"""A warm process that forks one child per job, two at a time: each child runs the real
CLI (``agent.cli.app``, what ``python -m agent`` runs) without paying the start-up again."""


def cli_env(home: Path, pack_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRISISCELL_")}
    return {**env, "CRISISCELL_HOME": str(home), "CRISISCELL_SOPS_DIR": str(pack_dir), **extra}


def kill_all(
    home: Path, pack_dir: Path, kills: list[Kill], extra: dict[str, str]
) -> dict[Kill, int]:
    """Open the crises the updates work on, then every killed run; their exit codes."""
    opens = [open_args(k.crisis_id) for k in kills if k.command == "update"]
    # The warm run stays offline: a model client's pooled HTTP connection would be
    # inherited by two forked children at once, which then interleave their requests.
    warm = {"args": open_args("CR-WARM"), "env": {"CRISISCELL_LLM": "offline"}}
    jobs = [warm, *({"args": a, "env": {}} for a in opens)]
    if len(opens) % 2:
        jobs.append({"args": ["crisis", "list"], "env": {}})  # keeps the kills paired
    jobs += [{"args": k.args(), "env": {KILL_AFTER_ENV: k.node}} for k in kills]
    done = subprocess.run(
        [sys.executable, "-c", ZYGOTE], input="\n".join(json.dumps(j) for j in jobs),
        env=cli_env(home, pack_dir, extra), cwd=ROOT, capture_output=True, text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    codes = json.loads(done.stdout.strip().splitlines()[-1])
    assert codes[: len(jobs) - 1 - len(kills)] == [0] * (len(jobs) - 1 - len(kills))
    return dict(zip(kills, codes[-len(kills):], strict=True))


def cli(*args: str) -> Any:
    """Run the real CLI in this process; JSON output parsed, exit code checked."""
    result = runner.invoke(app, ["crisis", *args, "--json"])
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)


def inspect(crisis_id: str) -> tuple[list[str], list[str], str | None]:
    """What the latest checkpoint says ran in this run, the log's kinds, the crash diagnosis."""
    with CrisisService() as service:
        snapshot = service.graph.get_state(service._config(crisis_id))
        ran = State.model_validate(snapshot.values).nodes if snapshot.values else []
        kinds: list[str] = [e.kind for e in service.log.entries(crisis_id)]
        return ran, kinds, interrupted(service, crisis_id)


def prove_not_wedged(kill: Kill, code: int) -> str:
    """The crash left a consistent crisis, and every next command works on it.

    Returns what ``crisis show`` says the crash left (for the suite's figures).
    """
    assert code == -signal.SIGKILL, f"{kill}: the hook did not fire (exit {code})"
    cid = kill.crisis_id
    ran, kinds, diagnosis = inspect(cid)
    assert diagnosis is not None, "a killed run must always be seen as half-done"
    assert set(ran) <= set(ORDER[: ORDER.index(kill.node) + 1]), ran  # never past the kill
    assert kinds == ["event"] if kill.command == "open" else kinds[-1] == "decision", kinds
    shown = cli("show", cid)
    assert shown["crisis"]["id"] == cid and shown["crisis"]["status"] == "open"
    if kill.command == "open":
        again = cli("open", LEAK, "--site", "SITE-01", "--id", cid)  # the id is not stuck
        assert again["waiting"] and again["suggestion"] is not None
    else:
        again = cli("update", cid, "wind turning north")
        assert again["waiting"] and again["suggestion"] is not None
    assert [e.kind for e in CrisisLog(engine_for(Settings())).entries(cid)].count("event") == 1
    approved = cli("approve", cid, "--scenario", "1", "--author", "bob")
    assert approved["approval"]["author"] == "bob" and approved["waiting"]
    closed = cli("close", cid, "--resolution", "leak stopped", "--outcome", "no injury")
    assert closed["crisis"]["status"] == "closed"
    return diagnosis


@pytest.fixture(scope="module")
def offline_kills(
    tmp_path_factory: pytest.TempPathFactory, pack_dir: Path
) -> Iterator[tuple[Path, dict[Kill, int]]]:
    home = tmp_path_factory.mktemp("kill-offline")
    kills = [Kill(c, n) for c in ("open", "update") for n in OFFLINE_NODES]
    yield home, kill_all(home, pack_dir, kills, {"CRISISCELL_LLM": "offline"})
    dispose_engines()


@pytest.mark.parametrize("command", ["open", "update"])
@pytest.mark.parametrize("node", OFFLINE_NODES)
def test_kill_after_each_node_offline(
    offline_kills: tuple[Path, dict[Kill, int]], pack_dir: Path, command: str, node: str,
    monkeypatch: pytest.MonkeyPatch, record_property: Callable[[str, object], None],
) -> None:
    home, codes = offline_kills
    monkeypatch.setenv("CRISISCELL_HOME", str(home))
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
    monkeypatch.setenv("CRISISCELL_LLM", "offline")
    kill = Kill(command, node)
    record_property("left", prove_not_wedged(kill, codes[kill]))


def stubborn_model(body: Body) -> Reply:
    """A model whose plan always drops a mandatory step, so the rules must repair it."""
    if tool_name(body) == "propose_category":
        return category_reply("IND.toxic_release")
    return scenarios_reply(body, lambda steps: [s for s in steps if s["step_id"] != "S01"])


def test_kill_after_repair(
    tmp_path: Path, pack_dir: Path, monkeypatch: pytest.MonkeyPatch,
    record_property: Callable[[str, object], None],
) -> None:
    with LoopbackServer(FakeOpenAI(default=stubborn_model)) as server:
        model_env = {
            "CRISISCELL_LLM": "openai:test-model", "CRISISCELL_MAX_REPAIR_ROUNDS": "0",
            "CRISISCELL_LLM_MAX_RETRIES": "0", "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "test-key-not-real",
        }
        kills = [Kill("open", "repair"), Kill("update", "repair")]
        codes = kill_all(tmp_path / "home", pack_dir, kills, model_env)
        for name, value in model_env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(pack_dir))
        for kill in kills:
            record_property(f"left-{kill.command}", prove_not_wedged(kill, codes[kill]))
        dispose_engines()
