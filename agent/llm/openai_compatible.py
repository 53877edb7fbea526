"""Any OpenAI-compatible chat model behind the seam: OpenAI, vLLM, Ollama, llama.cpp, LM Studio.

Built on langchain-openai's ``ChatOpenAI``: its client does the HTTP, the
timeouts and the bounded retries (``max_retries``: connection errors, timeouts,
429 and 5xx, with backoff). Answers come back as a forced tool call (function
calling, which local servers support best), at temperature 0, and are validated
into the pydantic models of :mod:`agent.llm.schemas`, then converted to ours.

Errors are typed at this boundary: no answer (refused, dropped, timed out,
429/5xx after the retries) is :class:`~agent.errors.LLMUnavailable`; an answer
that is not a valid tool call is :class:`~agent.errors.LLMBadOutput`. The
nodes then fall back to the offline backend and mark the suggestion degraded.
Every call, answered or not, goes to the injected recorder (the SQL call log).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import openai
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr, ValidationError

from agent.domain import Category, Scenario, Usage
from agent.errors import LLMBadOutput, LLMError, LLMUnavailable
from agent.llm.base import CategoriseRequest, ScenarioRequest
from agent.llm.calls import CallRecorder, LLMCall, Price, UsageMeter, cost
from agent.llm.facts import categorise_facts, scenario_facts, to_json
from agent.llm.schemas import (
    ProposeCategory,
    ProposeScenarios,
    ReportReady,
    to_category,
    to_scenarios,
)
from agent.prompts import load_prompt

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
PROMPTS = {"categorise": "categorise.v2", "generate": "scenarios.v2"}
CHECK_PROMPT = "check.v1"
CHECK_WORD = "crisiscell"


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach the model."""

    model: str
    provider: str = "openai"
    base_url: str | None = None
    api_key: str | None = None
    timeout_s: float = 20.0
    max_retries: int = 2


@dataclass(frozen=True)
class Probe:
    """What ``crisiscell llm check`` reports."""

    model: str
    base_url: str | None
    answered: bool
    structured: bool
    latency_ms: float
    error: str | None = None


class OpenAICompatibleLLM:
    """The seam's :class:`~agent.llm.base.LLM` over an OpenAI-compatible endpoint."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        price: Price | None = None,
        recorder: CallRecorder | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.price = price
        self.recorder = recorder
        self.meter = UsageMeter()
        self.chat = ChatOpenAI(
            model=endpoint.model,
            base_url=endpoint.base_url,
            api_key=SecretStr(endpoint.api_key) if endpoint.api_key else None,
            temperature=0,
            timeout=endpoint.timeout_s,
            max_retries=endpoint.max_retries,
        )

    @property
    def name(self) -> str:
        """``provider:model``."""
        return f"{self.endpoint.provider}:{self.endpoint.model}"

    def categorise(self, request: CategoriseRequest) -> Category:
        """Ask for a category (tool ``propose_category``)."""
        start = time.perf_counter()
        answer = self._ask(
            "categorise", categorise_facts(request), ProposeCategory, request.run_id,
            request.timeout_s,
        )
        category = to_category(answer)
        self._within_budget(start, request.timeout_s)
        return category

    def propose_scenarios(self, request: ScenarioRequest) -> list[Scenario]:
        """Ask for scenarios (tool ``propose_scenarios``), with feedback on a repair round."""
        start = time.perf_counter()
        answer = self._ask(
            "generate", scenario_facts(request), ProposeScenarios, request.run_id,
            request.timeout_s,
        )
        scenarios = to_scenarios(answer, request)
        self._within_budget(start, request.timeout_s)
        return scenarios

    def _within_budget(self, start: float, timeout_s: float | None) -> None:
        """Refuse an answer that arrived (or was converted) after the node's time budget.

        The node gives each attempt ``remaining / (1 + retries)``, so the whole call
        must end within ``timeout_s * (1 + retries)``; past that the run has overrun
        its deadline, and the node falls back offline with this reason (degraded).

        Raises:
            LLMUnavailable: the call ended after its budget.
        """
        if timeout_s is None:
            return
        budget = timeout_s * (1 + self.endpoint.max_retries)
        elapsed = time.perf_counter() - start
        if elapsed > budget:
            raise LLMUnavailable(
                f"answer ready after {elapsed:.1f} s, over its {budget:.1f} s budget"
            )

    def prompt_ids(self) -> dict[str, str]:
        """Node -> ``prompt id@hash`` of the prompt files in use."""
        return {node: load_prompt(pid).ref for node, pid in PROMPTS.items()}

    def take_usage(self, run_id: str) -> Usage:
        """Calls, tokens and cost of a run, then forget them."""
        return self.meter.take(run_id)

    def probe(self, timeout_s: float | None = None) -> Probe:
        """One small structured-output round trip: does the model answer, and with a tool call?"""
        start = time.perf_counter()
        error: str | None = None
        answered = structured = False
        try:
            answer = self._ask(
                "check", {"word": CHECK_WORD}, ReportReady, "", timeout_s, CHECK_PROMPT
            )
            answered = True
            structured = answer.ready and answer.echo.strip().lower() == CHECK_WORD
            error = None if structured else f"unexpected answer: {answer.model_dump()}"
        except LLMBadOutput as exc:
            answered, error = True, str(exc)
        except LLMError as exc:
            error = str(exc)
        self.meter.take("")
        latency = (time.perf_counter() - start) * 1000
        return Probe(self.name, self.endpoint.base_url, answered, structured, latency, error)

    def _ask(
        self,
        node: str,
        facts: dict[str, Any],
        schema: type[T],
        run_id: str,
        timeout_s: float | None,
        prompt_id: str | None = None,
    ) -> T:
        """One call: prompt file + facts in, a validated ``schema`` out, logged either way."""
        prompt = load_prompt(prompt_id or PROMPTS[node])
        user = to_json(facts)
        call = LLMCall(
            run_id=run_id, node=node, model=self.name, prompt_id=prompt.id,
            prompt_hash=prompt.sha256, request=user,
        )
        start = time.perf_counter()
        try:
            raw = self._invoke(schema, prompt.text, user, timeout_s)
            self._account(call, raw)
            return parse_tool_call(raw, schema)
        except LLMError as exc:
            call.error = f"{type(exc).__name__}: {exc}"
            log.warning("%s call to %s failed: %s", node, self.name, call.error)
            raise
        finally:
            call.latency_ms = (time.perf_counter() - start) * 1000
            self._finish(call)

    def _invoke(
        self, schema: type[BaseModel], system: str, user: str, timeout_s: float | None
    ) -> AIMessage:
        """The chat call, forced to call the schema's tool; transport errors become typed."""
        tool = tool_spec(schema)
        extra: dict[str, Any] = {} if timeout_s is None else {"timeout": timeout_s}
        model = self.chat.bind_tools(
            [tool], tool_choice=tool["function"]["name"], parallel_tool_calls=False, **extra
        )
        try:
            raw = model.invoke([SystemMessage(system), HumanMessage(user)])
        except openai.APIError as exc:
            raise api_error(exc) from exc
        except ValueError as exc:  # langchain: a body that is not a chat completion
            raise LLMBadOutput(f"not a chat completion: {_short(exc)}") from exc
        if not isinstance(raw, AIMessage):
            raise LLMBadOutput(f"unexpected answer type {type(raw).__name__}")
        return raw

    def _account(self, call: LLMCall, raw: AIMessage) -> None:
        """Tokens, cost and the raw answer of a call that got an answer."""
        call.response = raw_text(raw)
        usage = raw.usage_metadata
        call.input_tokens = usage["input_tokens"] if usage else 0
        call.output_tokens = usage["output_tokens"] if usage else 0
        call.cost_usd = cost(self.price, call.input_tokens, call.output_tokens)

    def flush(self) -> None:
        """Wait until the recorder has written every call (when it writes in the background)."""
        flush = getattr(self.recorder, "flush", None)
        if callable(flush):
            flush()

    def _finish(self, call: LLMCall) -> None:
        """Count the call and hand it to the recorder."""
        self.meter.add(call)
        if self.recorder is not None:
            self.recorder(call)


@cache
def tool_spec(schema: type[BaseModel]) -> dict[str, Any]:
    """The OpenAI tool definition of a pydantic schema (built once per schema)."""
    return convert_to_openai_tool(schema)


def parse_tool_call(raw: AIMessage, schema: type[T]) -> T:
    """The answer's call of the schema's tool, validated; anything else is :class:`LLMBadOutput`.

    This is what ``with_structured_output(schema, method="function_calling",
    include_raw=True)`` does, without building a runnable graph and a thread pool
    per call (about 9 ms per call, most of the framework overhead; see
    ``benchmarks/bench_llm.py``).
    """
    name = tool_spec(schema)["function"]["name"]
    calls = [c for c in raw.tool_calls if c["name"] == name]
    if calls:
        try:
            return schema.model_validate(calls[0]["args"])
        except ValidationError as exc:
            raise LLMBadOutput(f"schema violation: {_first_error(exc)}") from exc
    if raw.invalid_tool_calls:
        error = raw.invalid_tool_calls[0].get("error")
        raise LLMBadOutput(f"malformed tool-call arguments: {_short(error)}")
    if raw.tool_calls:
        raise LLMBadOutput(f"called an unknown tool '{raw.tool_calls[0]['name']}'")
    raise LLMBadOutput("the model answered without calling the tool")


def api_error(exc: openai.APIError) -> LLMError:
    """The typed error of an OpenAI client failure (after the client's own retries)."""
    if isinstance(exc, openai.APITimeoutError):
        return LLMUnavailable("timed out")
    if isinstance(exc, openai.APIConnectionError):
        return LLMUnavailable(f"connection failed: {_short(_root_cause(exc))}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status == 429 or status >= 500:
            return LLMUnavailable(f"HTTP {status} after retries: {_short(exc.message)}")
        return LLMError(f"request rejected (HTTP {status}): {_short(exc.message)}")
    return LLMBadOutput(f"unusable response: {_short(exc)}")


def raw_text(message: AIMessage) -> str:
    """The model's answer as JSON: text content, tool calls, malformed tool calls."""
    return json.dumps(
        {
            "content": message.content,
            "tool_calls": [{"name": c["name"], "args": c["args"]} for c in message.tool_calls],
            "invalid_tool_calls": [dict(c) for c in message.invalid_tool_calls],
        },
        ensure_ascii=False,
        default=str,
    )


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost ``__cause__`` (the socket error under the client's wrappers)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def _first_error(exc: ValidationError) -> str:
    """The first validation error as ``loc: message``."""
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"


def _short(value: object, limit: int = 200) -> str:
    """The first line of an error, cut to ``limit`` characters."""
    text = (str(value).strip().splitlines() or [type(value).__name__])[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"
