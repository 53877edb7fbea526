"""Run-time settings from environment variables (``CRISISCELL_*``) and ``crisiscell.toml``.

Paths default to the shipped pack and archive of this source tree, and the store
to a SQLite file under ``.crisiscell/``, so the embedded mode needs no set-up.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
