"""Build ``evals/archive/``: one case per incident of ``history/incidents``, replayed leave-one-out.

* **inputs**: the incident's ``summary`` (what was known at T0: the situation,
  not the response), its site, language and date; then its recorded ``outcome``
  as one *hindsight* update ("Later: <outcome>", see :func:`outcome_update`), so
  the replay follows the crisis's recorded course;
* **expected**: its category and severity, the actions really taken, and the
  forbidden actions of its category (:mod:`evals.forbidden`). The severity is the
  hindsight one (set from the outcome): it is scored on the final step, after the
  outcome update; category, precedents and action coverage are scored on what was
  known live (T0), so the outcome never helps them (:mod:`evals.evaluators`);
* **expected precedents**: the other incidents of the *same subtype* whose
  response pattern is similar: the Jaccard overlap of their action-type sets is
  at least :data:`PATTERN_OVERLAP`. A case with no such incident is not scored
  on precedents (rather than inventing one);
* **difficulty**: easy with no cascade code, medium with one, hard with more.

Run ``crisiscell eval build-archive-suite`` after changing the archive;
``--check`` fails when the committed cases are stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from agent.domain import Incident
from agent.pack.schema import render_schema
from evals.case import (
    CASE_SCHEMA,
    CaseExpected,
    CaseInputs,
    CaseMetadata,
    Difficulty,
    EvalCase,
    Update,
    dump_case,
)
from evals.forbidden import forbidden_for

PATTERN_OVERLAP = 0.5
"""Minimum Jaccard overlap of action types for two same-subtype incidents to be precedents."""
OUTCOME_MIN_AFTER = timedelta(days=1)
"""The outcome update comes at the last timed action, and never sooner than this after T0."""
LATER = {"en": "Later:", "fr": "Plus tard :"}
"""How the outcome update opens, per incident language: it is news, not the T0 report."""


def _types(incident: Incident) -> set[str]:
    return {str(a.action_type) for a in incident.actions if a.action_type is not None}


def response_overlap(a: Incident, b: Incident) -> float:
    """Jaccard overlap of the two incidents' action-type sets (0 when both are empty)."""
    left, right = _types(a), _types(b)
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def expected_precedents(incident: Incident, archive: Sequence[Incident]) -> list[str]:
    """Same subtype, similar response pattern, never itself."""
    return sorted(
        other.id
        for other in archive
        if other.id != incident.id
        and other.category == incident.category
        and response_overlap(incident, other) >= PATTERN_OVERLAP
    )


def outcome_update(incident: Incident) -> Update:
    """The recorded outcome as a hindsight update, once the recorded response is over.

    Its offset is the latest timed action (the end of the recorded course), at
    least :data:`OUTCOME_MIN_AFTER`: an outcome is not known within the hour.
    """
    timed = [a.at for a in incident.actions if a.at is not None]
    at = max([OUTCOME_MIN_AFTER, *timed])
    return Update(at=at, text=f"{LATER[incident.language]} {incident.outcome}", hindsight=True)


def _difficulty(incident: Incident) -> Difficulty:
    n = len(incident.secondary)
    return "easy" if n == 0 else "medium" if n == 1 else "hard"


def case_for(incident: Incident, archive: Sequence[Incident]) -> EvalCase:
    """The eval case replaying one archive incident."""
    return EvalCase(
        name=incident.id,
        inputs=CaseInputs(
            text=incident.summary,
            site=incident.site,
            language=incident.language,
            reported_at=incident.occurred_at,
            updates=[outcome_update(incident)],
        ),
        expected=CaseExpected(
            category=incident.category,
            severity=incident.severity,
            precedents=expected_precedents(incident, archive),
            actions=incident.actions,
            forbidden=forbidden_for(incident.category),
        ),
        metadata=CaseMetadata(
            source=incident.source,
            difficulty=_difficulty(incident),
            tags=["archive", *incident.tags],
            incident_id=incident.id,
        ),
    )


def expected_files(archive: Sequence[Incident], out_dir: Path) -> dict[Path, str]:
    """Every file of the suite (cases and the case schema) with its generated text."""
    files = {out_dir / f"{i.id}.yaml": dump_case(case_for(i, archive)) for i in archive}
    files[out_dir.parent / CASE_SCHEMA] = render_schema(EvalCase)
    return files


def stale_files(archive: Sequence[Incident], out_dir: Path) -> list[Path]:
    """Files missing or different from the generated ones, plus cases with no incident."""
    expected = expected_files(archive, out_dir)
    stale = [p for p, t in expected.items() if not p.is_file() or p.read_text("utf-8") != t]
    orphans = [p for p in sorted(out_dir.glob("*.yaml")) if p not in expected]
    return stale + orphans


def build(archive: Sequence[Incident], out_dir: Path) -> list[Path]:
    """Write the suite, remove cases whose incident is gone; return the files written."""
    expected = expected_files(archive, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for orphan in sorted(out_dir.glob("*.yaml")):
        if orphan not in expected:
            orphan.unlink()
    for path, text in expected.items():
        path.write_text(text, encoding="utf-8", newline="\n")
    return list(expected)
