"""The pack's self-test: its forbidden actions and SOP steps behave as written.

Each forbidden action may carry ``examples`` (must be caught by it) and
``allowed`` phrasings (must pass the whole guard); each SOP step's own words must
pass too, so a pattern never blocks the procedure it protects. ``crisiscell sops
test`` and ``sops lint`` run it on the pack. It lives with the guard, above the
pack: it loads the pack, then runs the pack's guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.guard.matcher import NEVER, Guard
from agent.guard.pack_guard import guard_for
from agent.pack.lint import Finding, Reporter
from agent.pack.loader import load_documents
from agent.pack.models import ForbiddenAction, NeverList, Sop
from agent.pack.yamlpos import Positions


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


def self_test(root: Path) -> SelfTestResult:
    """Run every forbidden action's examples and allowed phrasings, and every SOP step.

    Raises:
        PackError: when the pack does not load (self-tests need a clean pack).
    """
    pack, docs = load_documents(root)
    files = [
        SelfTestFile(d.path, d.positions, d.model)
        for d in docs
        if isinstance(d.model, Sop | NeverList)
    ]
    return run_self_tests(files, guard_for(pack))


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
