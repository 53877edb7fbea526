"""An offline ``crisiscell suggest`` process never imports LangGraph, LangChain, OpenAI or
Streamlit (issue 11: cold start): the real command, read through ``-X importtime``.

``-X importtime`` lists every module the process imported, whenever and however it was
imported (a lazy import in a node, ``importlib``, an ``atexit`` hook), so the check needs
no hook in crisiscell and cannot miss an import made after the answer was printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

EVENT = "Ammonia smell near the compressor room, one worker coughing"
NEVER_OFFLINE = (
    "langgraph",
    "langchain_core",
    "langchain_openai",
    "langsmith",
    "langgraph_sdk",
    "openai",
    "httpx",
    "streamlit",
)


def imported(stderr: str) -> set[str]:
    """Module names from ``-X importtime`` lines (``import time: self | cumulative | name``)."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    return names - {"package"}  # the header line names its columns


def top_level(names: set[str]) -> set[str]:
    return {name.split(".", 1)[0] for name in names}


def test_offline_suggest_imports_no_langgraph_langchain_openai_or_streamlit(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "CRISISCELL_HOME": str(tmp_path / "home"), "CRISISCELL_LLM": "offline",
           "CRISISCELL_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CRISISCELL_SOPS_DIR", None)  # the shipped pack, as an operator runs it
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "agent", "suggest", EVENT, "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    suggestion = json.loads(done.stdout)
    assert suggestion["scenarios"] and suggestion["lineage"]["model"] == "offline"
    assert "finalise" in suggestion["lineage"]["nodes"]
    names = imported(done.stderr)
    assert {"agent.runner", "agent.pipeline", "agent.nodes.finalise"} <= names  # parse check
    assert sorted(top_level(names) & set(NEVER_OFFLINE)) == []
    assert "agent.graph" not in names and "agent.nodes.decide" not in names


def test_the_probe_sees_langgraph_when_a_model_backed_run_would_use_it(tmp_path: Path) -> None:
    """The same parse on a process that does import LangGraph: the check above can fail."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import agent.graph"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    )
    assert {"langgraph", "langchain_core"} <= top_level(imported(done.stderr))
