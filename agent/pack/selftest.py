"""Forbidden-action checks: patterns name known concepts, and the SOPs' own self-tests pass.

Each forbidden action may carry ``examples`` (must be caught by it) and
``allowed`` phrasings (must pass the whole guard); each SOP step's own words must
pass too, so a pattern never blocks the procedure it protects. ``crisiscell sops
test`` and ``sops lint`` run these on the pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.guard.matcher import NEVER, Guard
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


@dataclass(frozen=True)
class SelfTestFile:
    """A pack file whose forbidden actions (and, for an SOP, steps) are self-tested."""

    path: Path
    positions: Positions
    model: Sop | NeverList


@dataclass(frozen=True)
class SelfTestResult:
    """What ``sops test`` counts: phrasings checked and the findings of those that failed."""

    examples: int
    allowed: int
    steps: int
    findings: list[Finding]


def run_self_tests(files: Sequence[SelfTestFile], guard: Guard) -> SelfTestResult:
    """Run every example, allowed phrasing and SOP step through the guard."""
    counts = [0, 0, 0]
    findings: list[Finding] = []
    for file in files:
        reporter = Reporter(file.path, file.positions)
        source = file.model.id if isinstance(file.model, Sop) else NEVER
        selected = {source}
        for i, fa in enumerate(file.model.forbidden_actions):
            counts[0] += len(fa.examples)
            counts[1] += len(fa.allowed)
            _examples(reporter, guard, source, i, fa, selected)
            _allowed(reporter, guard, i, fa, selected)
        if isinstance(file.model, Sop):
            counts[2] += len(file.model.steps)
            _steps(reporter, guard, file.model)
        findings += reporter.findings
    return SelfTestResult(counts[0], counts[1], counts[2], findings)


def _examples(
    reporter: Reporter, guard: Guard, source: str, i: int, fa: ForbiddenAction, selected: set[str]
) -> None:
    for k, text in enumerate(fa.examples):
        refs = {h.ref for h in guard.hits(text, selected)}
        if f"{source}/{fa.id}" not in refs:
            reporter.add(
                ("forbidden_actions", i, "examples", k),
                "selftest",
                f"example not caught by {fa.id}: '{text}'",
            )


def _allowed(
    reporter: Reporter, guard: Guard, i: int, fa: ForbiddenAction, selected: set[str]
) -> None:
    for k, text in enumerate(fa.allowed):
        hit = guard.check(text, selected)
        if hit is not None:
            reporter.add(
                ("forbidden_actions", i, "allowed", k),
                "selftest",
                f"allowed phrasing blocked by {hit.ref} ({hit.evidence}): '{text}'",
            )


def _steps(reporter: Reporter, guard: Guard, sop: Sop) -> None:
    for i, step in enumerate(sop.steps):
        for key, text in (("action", step.action), ("action_fr", step.action_fr)):
            hit = guard.check(sop.render(text), {sop.id}) if text else None
            if hit is not None:
                reporter.add(
                    ("steps", i, key),
                    "selftest",
                    f"the SOP's own step {step.id}{' (French)' * (key == 'action_fr')} is "
                    f"blocked by {hit.ref} ({hit.evidence})",
                )
