"""Graph nodes: thin wrappers around a rule or an LLM call."""
