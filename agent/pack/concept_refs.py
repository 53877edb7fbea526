"""Lint check of forbidden actions: every concept a pattern names is defined.

Run by the loader on each SOP and on the never list. The forbidden actions' own
examples and allowed phrasings are run through the guard by the self-test
(:mod:`agent.guard.selftest`), which needs a built guard and so lives above the pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from agent.pack.lint import Finding, Reporter
from agent.pack.models import ForbiddenAction, Lexicon, NeverList, Sop
from agent.pack.yamlpos import KeyPath, Positions


def check_concept_refs(
    reporter: Reporter,
    actions: Sequence[ForbiddenAction],
    local: Iterable[str],
    lexicon: Lexicon | None,
) -> None:
    """Every concept a pattern names exists in the SOP or in ``lexicon.yaml``."""
    known = set(local) | (set(lexicon.concepts) if lexicon else set())
    for i, fa in enumerate(actions):
        for j, pattern in enumerate(fa.match):
            refs: list[tuple[KeyPath, str]] = [(("do",), pattern.do)]
            refs += [(("with", k), w) for k, w in enumerate(pattern.with_)]
            refs += [(("unless", k), u) for k, u in enumerate(pattern.unless)]
            for key, ref in refs:
                for name in ref.split("|"):
                    if name not in known:
                        reporter.add(
                            ("forbidden_actions", i, "match", j, *key),
                            "concept",
                            f"unknown concept '{name}' (define it in the SOP's 'concepts' "
                            "or in lexicon.yaml)",
                        )


def check_forbidden(
    file: Path, model: Sop | NeverList, positions: Positions, lexicon: Lexicon | None
) -> list[Finding]:
    """Concept references of one SOP's (or the never list's) forbidden actions."""
    reporter = Reporter(file, positions)
    local = model.concepts if isinstance(model, Sop) else {}
    check_concept_refs(reporter, model.forbidden_actions, local, lexicon)
    return reporter.findings
