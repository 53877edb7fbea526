"""Who produced a line (rules, model, operator), as an inline markdown badge."""

from __future__ import annotations

from ui import views


def origin_md(origin: str) -> str:
    """``:gray-badge[... Rules]``: the badge :func:`ui.views.origin_badge` describes."""
    label, colour, icon = views.origin_badge(origin)
    return f":{colour}-badge[{icon} {label}]"
