"""Importers of real-data suites, read from ``../shared/data`` at run time.

The data folders' licences do not allow shipping them, so only the importers live
here; each raises :class:`evals.suite.SuiteUnavailable` when its
folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

from evals.suite import SuiteUnavailable

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")


def require(path: Path, suite: str) -> Path:
    """``path`` if it exists, else :class:`SuiteUnavailable` naming the suite."""
    if not path.exists():
        raise SuiteUnavailable(f"suite {suite!r}: data not found at {path} (skipped)")
    return path


def clean(text: str | None) -> str:
    """HTML tags and runs of whitespace to single spaces."""
    return _SPACE.sub(" ", _TAG.sub(" ", text or "")).strip()


def sentences(text: str) -> list[str]:
    """A plain split into sentences (good enough for report prose)."""
    return [s.strip() for s in _SENTENCE.split(clean(text)) if s.strip()]


def slug(text: str) -> str:
    """Lowercase ``a-z0-9-`` form of a label, for tags and ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
