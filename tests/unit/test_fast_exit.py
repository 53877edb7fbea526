"""The CLI ends without the interpreter's teardown, and loses nothing by it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.fast_exit import _flushed, exit_code

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter, in a crisiscell home of its own."""
    env = {"CRISISCELL_HOME": str(tmp_path), "CRISISCELL_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("CRISISCELL_")}


def _cli(args: list[str], prelude: str = "") -> str:
    argv = ["crisiscell", *args]
    return f"import sys\n{prelude}\nsys.argv = {argv!r}\nfrom agent.cli import main\nmain()\n"


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (3, 3), (True, 1)])
def test_exit_code_follows_system_exit(code: object, status: int) -> None:
    assert exit_code(code) == status


def test_a_message_exit_prints_it_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code("no such crisis") == 1
    assert "no such crisis" in capsys.readouterr().err


class _HungUp(io.StringIO):
    def flush(self) -> None:
        raise BrokenPipeError("the reader is gone")


def test_a_reader_that_hung_up_is_reported_not_raised() -> None:
    assert not _flushed(_HungUp())
    assert _flushed(object())  # no flush at all: nothing to lose


def test_the_whole_answer_reaches_a_pipe(tmp_path: Path) -> None:
    done = _run(_cli(["suggest", "Ammonia smell near the compressor room", "--json"]), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["category"]["code"]  # every byte of the JSON arrived


def test_an_error_keeps_its_exit_status(tmp_path: Path) -> None:
    done = _run(_cli(["suggest", "--file", str(tmp_path / "missing.yaml")]), tmp_path)
    assert done.returncode == 2
    assert "cannot read" in done.stderr


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    mark = tmp_path / "handled"
    prelude = f"import atexit, pathlib\natexit.register(pathlib.Path({str(mark)!r}).touch)"
    done = _run(_cli(["version"], prelude), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert mark.exists()


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    mark = tmp_path / "thread-done"
    prelude = (
        "import pathlib, threading, time\n"
        f"def work():\n    time.sleep(0.5)\n    pathlib.Path({str(mark)!r}).touch()\n"
        "threading.Thread(target=work).start()"
    )
    done = _run(_cli(["version"], prelude), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert mark.exists()
