"""The YAML pack: models, loading, linting and JSON Schema generation."""

from agent.pack.pack import Pack

__all__ = ["Pack"]
