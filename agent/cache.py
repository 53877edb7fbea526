"""Where crisiscell keeps what it can rebuild: the trained categoriser, the guard's word keys.

Nothing here is a source of truth: every file under it can be deleted at any time and
is rebuilt on the next run.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

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


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a cache file so no reader sees half of it; a read-only disk is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
