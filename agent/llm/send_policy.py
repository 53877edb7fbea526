"""What may be sent to a configured model, and what the call log may keep in plaintext.

The run's clearance decides what an operator sees; this policy decides what leaves the
machine. SOP steps above the send clearance are removed from the model's request (as
need-to-know removes them from a page), and every step text above ``internal`` that was
sent is replaced by its hash in the ``llm_calls`` row.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import threading
from collections.abc import Iterable
from urllib.parse import urlparse

from agent.domain import Category, Scenario, Usage
from agent.llm.base import LLM, CategoriseRequest, ScenarioRequest, UsageReporting, flush_calls
from agent.llm.calls import CallRecorder, LLMCall
from agent.pack.models import Sop
from agent.rules.need_to_know import Clearance, visible_sop

HOSTED_DEFAULT = Clearance("internal")
"""What a hosted (or unknown) endpoint may be sent when nothing is configured."""
LOCAL_DEFAULT = Clearance("restricted")
"""What a loopback or declared on-premises endpoint may be sent when nothing is configured."""
LOG_PLAINTEXT = Clearance("internal")
"""The most a ``llm_calls`` row keeps in plaintext; more sensitive step text is hashed."""


def is_loopback(base_url: str | None) -> bool:
    """True for ``localhost`` and loopback addresses (the model runs on this machine)."""
    host = urlparse(base_url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send_clearance(configured: str | None, base_url: str | None, on_premises: bool) -> Clearance:
    """The configured send clearance, else the default for where the endpoint is."""
    if configured:
        return Clearance.parse(configured)
    return LOCAL_DEFAULT if on_premises or is_loopback(base_url) else HOSTED_DEFAULT


class RedactingRecorder:
    """Hashes registered sensitive texts out of every call before it is recorded."""

    def __init__(self, inner: CallRecorder) -> None:
        self.inner = inner
        self._texts: set[str] = set()
        self._lock = threading.Lock()

    def remember(self, texts: Iterable[str]) -> None:
        """Texts that must never be stored in plaintext."""
        with self._lock:
            self._texts.update(t for t in texts if len(t) >= 3)

    def __call__(self, call: LLMCall) -> None:
        """Record the call with every sensitive text replaced by its hash."""
        update = {"request": self.redact(call.request)}
        if call.response is not None:
            update["response"] = self.redact(call.response)
        self.inner(call.model_copy(update=update))

    def flush(self) -> None:
        """Flush the wrapped recorder, when it batches writes."""
        flush = getattr(self.inner, "flush", None)
        if callable(flush):
            flush()

    def redact(self, text: str) -> str:
        """``text`` with each sensitive text (raw or JSON-escaped) replaced by a hash."""
        with self._lock:
            texts = sorted(self._texts, key=len, reverse=True)
        for secret in texts:
            token = f"[redacted sha256:{hashlib.sha256(secret.encode()).hexdigest()[:16]}]"
            for form in {secret, json.dumps(secret, ensure_ascii=False)[1:-1]}:
                text = text.replace(form, token)
        return text


class PolicyLLM:
    """Wraps a model backend so it is only sent what the send clearance allows."""

    def __init__(self, inner: LLM, send: Clearance, recorder: RedactingRecorder | None) -> None:
        self.inner = inner
        self.send = send
        self.recorder = recorder

    @property
    def name(self) -> str:
        """The wrapped backend's name."""
        return self.inner.name

    def categorise(self, request: CategoriseRequest) -> Category:
        """Categorisation sends the event and the taxonomy only."""
        return self.inner.categorise(request)

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        """Scenarios from SOPs redacted to the send clearance."""
        sops = [view for sop in request.sops if (view := visible_sop(sop, self.send)[0])]
        hidden = _hidden_steps(request.sops, sops)
        previous = [_without(s, hidden) for s in request.previous]
        if self.recorder is not None:
            self.recorder.remember(_sensitive(sops))
        redacted = request.model_copy(update={"sops": sops, "previous": previous})
        return self.inner.propose_scenarios(redacted)

    def prompt_ids(self) -> dict[str, str]:
        """The wrapped backend's prompt ids."""
        return self.inner.prompt_ids()

    def take_usage(self, run_id: str) -> Usage:
        """The wrapped backend's usage (zeros when it counts none)."""
        if isinstance(self.inner, UsageReporting):
            return self.inner.take_usage(run_id)
        return Usage()

    def flush(self) -> None:
        """Write the wrapped backend's call log now (see :func:`agent.llm.base.flush_calls`)."""
        flush_calls(self.inner)


def unwrap(llm: LLM) -> LLM:
    """The backend behind the send policy (to probe it, or to check its type)."""
    return llm.inner if isinstance(llm, PolicyLLM) else llm


def _hidden_steps(before: Iterable[Sop], after: Iterable[Sop]) -> set[tuple[str, str]]:
    shown = {(sop.id, step.id) for sop in after for step in sop.steps}
    return {(sop.id, step.id) for sop in before for step in sop.steps} - shown


def _without(scenario: Scenario, hidden: set[tuple[str, str]]) -> Scenario:
    """A previous answer with the steps the model may not see removed."""
    steps = [s for s in scenario.steps if (s.sop_id or "", s.step_id or "") not in hidden]
    return scenario.model_copy(update={"steps": steps})


def _sensitive(sops: Iterable[Sop]) -> list[str]:
    """Step texts sent to the model that the call log may not keep in plaintext."""
    return [
        step.action
        for sop in sops
        for step in sop.steps
        if not LOG_PLAINTEXT.allows(step.marking, step.compartments)
        or not LOG_PLAINTEXT.allows(sop.marking, sop.compartments)
    ]
