"""Where crisiscell keeps what it can rebuild: the trained categoriser, the guard's word keys.

Nothing here is a source of truth: every file under it can be deleted at any time and
is rebuilt on the next run.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

CACHE_ENV = "CRISISCELL_CACHE_DIR"


def cache_dir() -> Path:
    """``CRISISCELL_CACHE_DIR``, else the user cache dir (platformdirs), else ``<home>/cache``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    try:
        platformdirs = importlib.import_module("platformdirs")
    except ImportError:
        from agent.settings import Settings

        return Settings().home / "cache"
    return Path(platformdirs.user_cache_dir("crisiscell"))
