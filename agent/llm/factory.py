"""Build the LLM backend named by configuration: ``offline`` or ``provider:model``.

Providers:

* ``openai``: the OpenAI API, or any OpenAI-compatible server at ``OPENAI_BASE_URL``;
* ``ollama``, ``vllm``, ``lmstudio``, ``llamacpp``: the same adapter, with the
  server's usual local URL when ``OPENAI_BASE_URL`` is not set, and no key needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.errors import ConfigError
from agent.llm.base import LLM
from agent.llm.call_log import default_call_log
from agent.llm.calls import CallRecorder, Price
from agent.llm.offline import OFFLINE, OfflineLLM
from agent.llm.send_policy import PolicyLLM, RedactingRecorder, send_clearance
from agent.rules.need_to_know import Clearance
from agent.settings import Settings

if TYPE_CHECKING:
    from agent.llm.openai_compatible import Endpoint

LOCAL_SERVERS = {
    "ollama": "http://localhost:11434/v1",
    "vllm": "http://localhost:8000/v1",
    "lmstudio": "http://localhost:1234/v1",
    "llamacpp": "http://localhost:8080/v1",
}
"""OpenAI-compatible local servers and their default URLs."""
LOCAL_KEY = "not-needed"


def make_llm(settings: Settings, recorder: CallRecorder | None = None) -> LLM:
    """The backend for ``settings.llm``; unknown providers are a configuration error.

    Args:
        settings: the run-time settings.
        recorder: where model calls are logged; by default the registered call log
            (the SQL one, see :mod:`agent.llm.call_log`) when ``CRISISCELL_LLM_LOG`` is on.
    """
    spec = settings.llm.strip()
    if spec in ("", OFFLINE):
        return OfflineLLM()
    provider, _, model = spec.partition(":")
    if not model:
        raise ConfigError(f"CRISISCELL_LLM='{spec}': expected 'offline' or 'provider:model'")
    if provider != "openai" and provider not in LOCAL_SERVERS:
        known = ", ".join(["openai", *LOCAL_SERVERS])
        raise ConfigError(f"LLM provider '{provider}' is not available (known: {known})")
    if recorder is None:
        recorder = default_call_log(settings)
    redacting = RedactingRecorder(recorder) if recorder is not None else None
    from agent.llm.openai_compatible import OpenAICompatibleLLM  # offline never pays for it

    where = endpoint(settings, provider, model)
    inner = OpenAICompatibleLLM(where, price=price(settings, spec), recorder=redacting)
    return PolicyLLM(inner, send_policy(settings, where), redacting)


def send_policy(settings: Settings, where: Endpoint) -> Clearance:
    """What this endpoint may be sent (``CRISISCELL_LLM_SEND_CLEARANCE``); bad values fail."""
    try:
        return send_clearance(
            settings.llm_send_clearance, where.base_url, settings.llm_on_premises
        )
    except ValueError as exc:
        raise ConfigError(f"CRISISCELL_LLM_SEND_CLEARANCE: {exc}") from None


def endpoint(settings: Settings, provider: str, model: str) -> Endpoint:
    """URL, key, timeout and retries for a provider; a hosted API without a key is an error."""
    base_url = settings.openai_base_url or LOCAL_SERVERS.get(provider)
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    if key is None and base_url is None:
        raise ConfigError(
            f"{provider}:{model} needs OPENAI_API_KEY (hosted API) "
            "or OPENAI_BASE_URL (local server)"
        )
    from agent.llm.openai_compatible import Endpoint

    return Endpoint(
        model=model,
        provider=provider,
        base_url=base_url,
        api_key=key or LOCAL_KEY,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def price(settings: Settings, spec: str) -> Price | None:
    """The configured price of ``provider:model`` (or of the bare model name); None is free."""
    model = spec.partition(":")[2]
    return settings.llm_prices.get(spec) or settings.llm_prices.get(model)
