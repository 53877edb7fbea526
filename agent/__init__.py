"""crisiscell: categorise crisis events, retrieve precedents, propose SOP-compliant scenarios."""

__version__ = "0.1.0"
"""Kept equal to ``pyproject.toml``'s (a test checks): reading the installed metadata instead
costs every ``crisiscell suggest`` process 60 ms, and lineage records it on every run."""
