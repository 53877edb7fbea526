"""A decision applies after the process that opened the crisis was killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

OPENER = """
import sys, time
from agent.crisis.service import CrisisService
from agent.domain import Event
service = CrisisService()
result = service.open(Event(text="Ammonia leak near compressor 3, vapour cloud", site="SITE-01"),
                      author="alice", crisis_id="CR-KILL")
print(result.crisis.id, result.suggestion.lineage.run_id, flush=True)
time.sleep(600)
"""


def test_decision_resumes_in_a_new_process(pack_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "CRISISCELL_SOPS_DIR": str(pack_dir), "CRISISCELL_HOME": str(tmp_path)}
    opener = subprocess.Popen(
        [sys.executable, "-c", OPENER], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert opener.stdout is not None
    crisis_id, run_id = opener.stdout.readline().split()
    opener.send_signal(signal.SIGKILL)
    opener.wait(timeout=30)
    opener.stdout.close()
    cli = [sys.executable, "-m", "agent", "crisis"]
    approved = subprocess.run(
        [*cli, "approve", crisis_id, "--scenario", "1", "--author", "bob", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert approved.returncode == 0, approved.stderr
    data = json.loads(approved.stdout)
    assert data["approval"]["author"] == "bob" and data["approval"]["run_id"] == run_id
    log = subprocess.run(
        [*cli, "log", crisis_id, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    kinds = [a["kind"] for a in json.loads(log.stdout)["activity_log"]]
    assert kinds == ["event", "suggestion", "decision"]
