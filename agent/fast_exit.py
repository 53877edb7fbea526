"""End a CLI process without the interpreter's module teardown.

When a one-shot command has answered, Python still tears every module down and frees
each object one by one: about 0.2 s of a cold ``crisiscell suggest`` on a 2-core
machine (SQLAlchemy, pydantic and numpy leave hundreds of thousands of objects), twice
the time the pipeline takes. Nothing of ours needs that teardown: what must happen at
exit is registered with :mod:`atexit` (the model call log, the lemma store), and those
handlers still run here, in order, before the process ends.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

FLUSH_FAILED = 120
"""The status Python itself exits with when flushing stdout fails at shutdown."""


def exit_code(code: object) -> int:
    """The status ``SystemExit(code)`` gives: None is 0, an int itself, anything else 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def others_running() -> bool:
    """True if a non-daemon thread still runs: the interpreter would wait for it."""
    main = threading.main_thread()
    return any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate())


def exit_now(code: object) -> None:
    """Run the exit handlers, flush stdout and stderr, and end the process with ``code``.

    Falls back to a normal ``SystemExit`` when another thread still runs, so nothing
    that thread would finish is lost.
    """
    status = exit_code(code)
    if others_running():
        raise SystemExit(status)
    atexit._run_exitfuncs()  # CPython's own exit step (typeshed lists it); it clears them
    if not _flushed(sys.stdout) and status == 0:
        status = FLUSH_FAILED
    _flushed(sys.stderr)
    os._exit(status)


def _flushed(stream: object) -> bool:
    """Flush ``stream``; False if it is gone or the reader has hung up."""
    flush = getattr(stream, "flush", None)
    if flush is None:
        return True
    try:
        flush()
    except (OSError, ValueError):
        return False
    return True
