"""The words of the report behind each fact and each severity criterion.

An operator trusts "S4: casualties" more when the briefing quotes "at least two
dead" beside it, and corrects it faster when the quote shows a misreading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from agent.domain import Criterion, Severity
from agent.pack.models import SeverityScale
from agent.rules.facts import DERIVED_LOWER_BOUNDS
from agent.rules.text_facts import extract_spans


def fact_spans(text: str, from_text: Iterable[str]) -> dict[str, str]:
    """For each fact read from the text, the words it came from; derived facts cite their source."""
    paths = set(from_text)
    spans = extract_spans(text)
    out = {path: spans[path] for path in sorted(paths) if path in spans}
    for target, source in DERIVED_LOWER_BOUNDS.items():
        if target in paths and target not in out and source in spans:
            out[target] = spans[source]
    return out


def cite_criteria(severity: Severity, scale: SeverityScale, spans: Mapping[str, str]) -> Severity:
    """The severity with each criterion carrying the words of the report that made it fire.

    A dimension cites the span of its fact; a floor, an escalation or a proxied
    dimension cites the spans of the fact paths its description names.
    """
    if not spans:
        return severity
    fact_of = {dim.id: dim.fact for dim in scale.dimensions}
    criteria = [
        c if c.spans else c.model_copy(update={"spans": _words(c, fact_of, spans)})
        for c in severity.criteria
    ]
    return severity.model_copy(update={"criteria": criteria})


def _words(criterion: Criterion, fact_of: Mapping[str, str], spans: Mapping[str, str]) -> list[str]:
    """The quoted words behind one criterion, each once, in the order the facts are named."""
    paths = [fact_of[criterion.dimension]] if criterion.dimension in fact_of else []
    said = f"{criterion.label} {criterion.value}"
    paths += [path for path in spans if _names(said, path)]
    return list(dict.fromkeys(spans[path] for path in paths if path in spans))


def _names(said: str, path: str) -> bool:
    """True when ``said`` names the fact path itself, not a longer path it begins."""
    return re.search(rf"(?<![\w.]){re.escape(path)}(?![\w.])", said) is not None
