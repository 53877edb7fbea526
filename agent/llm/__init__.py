"""LLM seam: the protocol the graph depends on, and one module per backend."""
