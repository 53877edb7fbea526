"""Build the LLM backend named by configuration: ``offline`` or ``provider:model``."""

from __future__ import annotations

from agent.errors import ConfigError
from agent.llm.base import LLM
from agent.llm.offline import OFFLINE, OfflineLLM
from agent.settings import Settings


def make_llm(settings: Settings) -> LLM:
    """The backend for ``settings.llm``; unknown providers are a configuration error."""
    spec = settings.llm.strip()
    if spec in ("", OFFLINE):
        return OfflineLLM()
    provider, _, model = spec.partition(":")
    if not model:
        raise ConfigError(f"CRISISCELL_LLM='{spec}': expected 'offline' or 'provider:model'")
    raise ConfigError(f"LLM provider '{provider}' is not available in this build")
