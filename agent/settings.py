"""Run-time settings from environment variables (``CRISISCELL_*``) and ``crisiscell.toml``.

Paths default to the shipped pack and archive of this source tree, and the store
to a SQLite file under ``.crisiscell/``, so the embedded mode needs no set-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "openai:gpt-4o-mini": (0.15, 0.60),
    "openai:gpt-4o": (2.50, 10.00),
    "openai:gpt-4.1-mini": (0.40, 1.60),
    "openai:gpt-4.1": (2.00, 8.00),
}
"""Public list prices (USD per million tokens) of a few hosted models; override freely."""


class Settings(BaseSettings):
    """Everything an operator may configure without touching code."""

    model_config = SettingsConfigDict(
        env_prefix="CRISISCELL_", toml_file="crisiscell.toml", extra="ignore"
    )

    home: Path = Field(default=Path(".crisiscell"), description="Working directory for state.")
    sops_dir: Path = Field(default=PROJECT_ROOT / "sops", description="The SOP pack directory.")
    history_dir: Path = Field(
        default=PROJECT_ROOT / "history", description="The shipped incident archive."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<home>/crisiscell.db."
    )
    llm: str = Field(default="offline", description="'offline' or 'provider:model'.")
    top_k: int = Field(default=5, ge=1, le=50)
    precedent_threshold: float = Field(default=0.35, ge=0.0, le=1.0)
    max_repair_rounds: int = Field(default=2, ge=0, le=5)
    max_scenarios: int = Field(default=3, ge=1, le=3)
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("openai_base_url", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint (OPENAI_BASE_URL), e.g. http://localhost:8000/v1.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("openai_api_key", "OPENAI_API_KEY"),
        description="API key (OPENAI_API_KEY); local servers need none.",
    )
    llm_timeout_s: float = Field(default=20.0, gt=0, le=600, description="Per model call.")
    deadline_s: float = Field(
        default=45.0, gt=0, le=3600, description="Whole suggestion; then the offline backend."
    )
    llm_min_time_s: float = Field(
        default=1.0, ge=0, description="Skip the model when less time than this remains."
    )
    llm_max_retries: int = Field(
        default=2, ge=0, le=10, description="Client retries on timeouts, 429 and 5xx."
    )
    llm_log: bool = Field(default=True, description="Log every model call to the SQL store.")
    model_text: Literal["supported", "guarded"] = Field(
        default="supported",
        description="Model-written text shown to operators: 'supported' (default) only where "
        "it restates the applied SOPs; 'guarded': any text the guard passes.",
    )
    llm_prices: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_PRICES),
        description="Model -> (USD per 1M input tokens, USD per 1M output tokens); "
        "unknown and local models cost zero.",
    )
    clearance: str = Field(
        default="internal",
        description="Need-to-know: public|internal|restricted|secret, optionally ':compartments'.",
    )
    operator: str | None = Field(default=None, description="Author recorded in the crisis log.")
    llm_send_clearance: str | None = Field(
        default=None,
        description="The most sensitive marking (and compartments) that may be sent to the "
        "configured model, e.g. 'internal' or 'secret:ops'; default: 'restricted' for a "
        "loopback or on-premises endpoint, 'internal' otherwise. Steps above it are "
        "removed from prompts; step text above 'internal' is hashed in llm_calls.",
    )
    llm_on_premises: bool = Field(
        default=False,
        description="Declare the OpenAI-compatible endpoint on-premises (not only loopback).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Init arguments win, then the environment, then ``crisiscell.toml``."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the store."""
        if self.database_url:
            return self.database_url
        self.home.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.home / 'crisiscell.db'}"
