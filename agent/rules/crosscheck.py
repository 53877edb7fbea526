"""Cross-check the model's category against the rules', so a wrong one cannot pick the SOPs.

When the two disagree on family or subtype, and the rules found real evidence (more
than the low-confidence closest-description fallback), the rules' code is added as a
cascade: SOP selection then applies the SOPs of both categories (the union), and the
guard checks the forbidden actions of all of them.
"""

from __future__ import annotations

import re

from agent.domain import Category

RULES_EVIDENCE = 0.3
"""Above this confidence the rules matched keywords, facts or precedents (not the fallback)."""


def disagreement(model: Category, rules: Category) -> str | None:
    """Why the two categories disagree (family or subtype), or None when they agree."""
    if model.code == rules.code or rules.confidence <= RULES_EVIDENCE:
        return None
    if rules.code in model.secondary:
        return None
    what = "family" if model.family != rules.family else "subtype"
    return (
        f"model category {model.code} and rules category {rules.code} disagree on {what}: "
        f"the SOPs of both apply"
    )


def cross_checked(model: Category, rules: Category) -> tuple[Category, str | None]:
    """The model's category with the rules' code as a cascade when they disagree, and why."""
    why = disagreement(model, rules)
    if why is None:
        return model, None
    secondary = [rules.code, *(c for c in model.secondary if c != rules.code)]
    reasons = [f"CROSS-CHECK: {why}", *model.reasons]
    return model.model_copy(update={"secondary": secondary, "reasons": reasons}), why


def destuffed(text: str) -> str:
    """The text with runs of one repeated word collapsed, so keyword stuffing cannot outvote prose.

    "fire fire fire" is stuffing, not prose: a word said again right after itself counts once.
    """
    pattern = re.compile(r"\b(\w+)(?:[\s,;.!]+\1\b)+", re.IGNORECASE)
    return pattern.sub(lambda m: m.group(1), text)
