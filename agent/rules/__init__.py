"""Deterministic business rules: pure functions, no LangGraph imports."""
