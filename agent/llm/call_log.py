"""The call log model calls go to by default: batched off the answer's path.

The LLM seam never imports the store. The layer that owns both (``agent/context.py``)
registers the SQL call log here with :func:`register_call_log`, and ``make_llm``
uses it when ``CRISISCELL_LLM_LOG`` is on and the caller passes no recorder.
"""

from __future__ import annotations

import atexit
import queue
import threading
import time
from collections.abc import Callable

from agent.llm.calls import CallRecorder, LLMCall
from agent.settings import Settings

LINGER_S = 0.2
"""How long the call log waits to batch writes, so they do not compete with a suggestion."""

CallLogFactory = Callable[[Settings], CallRecorder]
"""Builds the default recorder for a run's settings (the SQL call log)."""
_factory: list[CallLogFactory] = []


def register_call_log(factory: CallLogFactory) -> None:
    """Make ``factory`` the default call log (the last one registered wins)."""
    _factory[:] = [factory]


def default_call_log(settings: Settings) -> CallRecorder | None:
    """The registered call log for these settings; None when logging is off or none is."""
    if not settings.llm_log or not _factory:
        return None
    return _factory[0](settings)


class BatchingRecorder:
    """Hands calls to ``write`` in batches, from a background thread.

    Logging never delays an answer; ``write`` deals with its own failures.
    Pending calls are flushed at exit.
    """

    def __init__(self, write: Callable[[list[LLMCall]], None]) -> None:
        self._write = write
        self._queue: queue.Queue[LLMCall] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __call__(self, call: LLMCall) -> None:
        """Queue one call."""
        self._queue.put(call)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="llm-call-log", daemon=True)
                self._thread.start()
                atexit.register(self.flush)

    def flush(self) -> None:
        """Wait until every queued call is written (or given up)."""
        if self._thread is not None:
            self._queue.join()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            time.sleep(LINGER_S)  # batch the calls of a run; write after the answer is out
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                self._write(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()
