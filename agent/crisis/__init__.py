"""Crises as durable threads: decisions, situation updates, the crisis log, need-to-know."""
