"""The understanding corpus: event texts with the category, facts and severity an expert defends.

``tests/data/understanding/dev_*.yaml`` (tuning) and ``holdout.yaml`` (never used
to tune, figures only) were written from real public crises before the rules
they measure. Each case is run offline through the real graph; the facts are
those the intake node reads (structured fields plus free text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from agent.domain import Event, Suggestion
from agent.pack.models import SEVERITY_LEVELS
from agent.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "tests" / "data" / "understanding"
SPLITS = {
    "dev": ("dev_a.yaml", "dev_b.yaml", "dev_c.yaml"),
    "holdout": ("holdout.yaml",),
    "holdout_c": ("holdout_c.yaml",),
    "holdout_d": ("holdout_d.yaml",),
}
"""``holdout_c.yaml`` and ``holdout_d.yaml``: the fifth and sixth blind sets (2026-12-07), written
apart from the rules; each read once at the start of a round and once at its end, never tuned on.

``dev_c.yaml`` was the blind ``holdout_b`` (2026-12-04), read twice, then opened for tuning."""


class Expected(BaseModel):
    """What an expert logs for the event."""

    model_config = ConfigDict(extra="forbid")

    category: str
    secondary: list[str] = Field(default_factory=list)
    severity_floor: Literal["S1", "S2", "S3", "S4", "S5"]
    severity_why: str = ""


class UnderstandingCase(BaseModel):
    """One event text with its labels."""

    model_config = ConfigDict(extra="forbid")

    id: str
    lang: Literal["en", "fr"]
    style: list[str] = Field(default_factory=list)
    source: str = ""
    text: str
    expected: Expected
    facts: dict[str, Any] = Field(default_factory=dict)
    spans: dict[str, str] = Field(default_factory=dict)


def load_corpus(split: str, root: Path = CORPUS_DIR) -> list[UnderstandingCase]:
    """The cases of a split (see :data:`SPLITS`); files not written yet are skipped."""
    cases: list[UnderstandingCase] = []
    for name in SPLITS[split]:
        path = root / name
        if path.is_file():
            data = yaml.safe_load(path.read_text("utf-8")) or []
            cases += [UnderstandingCase.model_validate(item) for item in data]
    return cases


@dataclass
class Outcome:
    """What the pipeline made of one case."""

    case: UnderstandingCase
    category: str
    secondary: list[str]
    severity: str
    facts: dict[str, Any]
    precedent: str | None = None
    """The top precedent's category, or None when none was found."""
    sops: list[str] = field(default_factory=list)
    """The SOPs the pipeline selected."""
    wanted_sops: list[str] | None = None
    """The SOPs the expected category and secondary codes call for (None: not measured)."""


@dataclass
class Scores:
    """Per-field figures over a set of outcomes."""

    outcomes: list[Outcome] = field(default_factory=list)
    labelled: frozenset[str] = frozenset()
    """Fact paths the corpus labels somewhere; other readings are not judged."""

    def summary(self) -> dict[str, Any]:
        """Accuracy, severity at or above the floor, fact precision/recall/F1, confusions."""
        n = len(self.outcomes) or 1
        tp, fp, fn = _fact_counts(self.outcomes, self.labelled)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        return {
            "cases": len(self.outcomes),
            "family_accuracy": _rate(
                self.outcomes, lambda o: _family(o.category) == _family(o.case.expected.category)
            ),
            "subtype_accuracy": _rate(
                self.outcomes, lambda o: o.category == o.case.expected.category
            ),
            "secondary_recall": _secondary_recall(self.outcomes),
            "severity_at_or_above_floor": _rate(
                self.outcomes,
                lambda o: _level(o.severity) >= _level(o.case.expected.severity_floor),
            ),
            "severity_exact": _rate(
                self.outcomes, lambda o: o.severity == o.case.expected.severity_floor
            ),
            "fact_precision": round(precision, 4),
            "fact_recall": round(recall, 4),
            "fact_f1": round(2 * precision * recall / (precision + recall), 4)
            if precision + recall
            else 0.0,
            **_selection(self.outcomes),
            "french_share": round(sum(o.case.lang == "fr" for o in self.outcomes) / n, 4),
            **_precedents_by_language(self.outcomes),
            "confusions": _confusions(self.outcomes),
            "fact_recall_by_path": _recall_by_path(self.outcomes),
        }


def _selection(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """SOP selection precision and recall against the SOPs the labels call for (micro)."""
    judged = [o for o in outcomes if o.wanted_sops is not None]
    right = sum(len(set(o.sops) & set(o.wanted_sops or ())) for o in judged)
    chosen = sum(len(set(o.sops)) for o in judged)
    wanted = sum(len(set(o.wanted_sops or ())) for o in judged)
    return {
        "sop_precision": round(right / chosen, 4) if chosen else 0.0,
        "sop_recall": round(right / wanted, 4) if wanted else 0.0,
    }


def _family(code: str) -> str:
    return code.split(".")[0]


def _precedents_by_language(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """Per language: a precedent found at all, and the top one of the expected family."""
    out: dict[str, float] = {}
    for lang in ("en", "fr"):
        mine = [o for o in outcomes if o.case.lang == lang]
        out[f"precedent_found_{lang}"] = _rate(mine, lambda o: o.precedent is not None)
        out[f"precedent_same_family_{lang}"] = _rate(
            mine,
            lambda o: o.precedent is not None
            and _family(o.precedent) == _family(o.case.expected.category),
        )
    return out


def _level(level: str) -> int:
    return SEVERITY_LEVELS.index(level)


def _rate(outcomes: Sequence[Outcome], ok: Callable[[Outcome], bool]) -> float:
    return round(sum(ok(o) for o in outcomes) / len(outcomes), 4) if outcomes else 0.0


def _secondary_recall(outcomes: Sequence[Outcome]) -> float:
    wanted = [(o, c) for o in outcomes for c in o.case.expected.secondary]
    if not wanted:
        return 0.0
    found = sum(c in o.secondary or c == o.category for o, c in wanted)
    return round(found / len(wanted), 4)


def same_value(expected: Any, got: Any) -> bool:
    """Labels and readings agree: numbers by value, strings without case."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return float(expected) == float(got)
    return str(expected).strip().lower() == str(got).strip().lower()


def _fact_counts(
    outcomes: Sequence[Outcome], labelled_paths: frozenset[str]
) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for o in outcomes:
        labelled = o.case.facts
        for path, value in labelled.items():
            if path in o.facts and same_value(value, o.facts[path]):
                tp += 1
            else:
                fn += 1
        fp += sum(
            1
            for path, value in o.facts.items()
            if path in labelled_paths
            and (path not in labelled or not same_value(labelled[path], value))
        )
    return tp, fp, fn


def _recall_by_path(outcomes: Sequence[Outcome]) -> dict[str, str]:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for o in outcomes:
        for path, value in o.case.facts.items():
            totals[path] += 1
            hits[path] += path in o.facts and same_value(value, o.facts[path])
    return {p: f"{hits[p]}/{totals[p]}" for p, _ in totals.most_common()}


def _confusions(outcomes: Sequence[Outcome], top: int = 15) -> list[str]:
    pairs = Counter(
        f"{o.case.expected.category} -> {o.category}"
        for o in outcomes
        if o.category != o.case.expected.category
    )
    return [f"{pair} ({n})" for pair, n in pairs.most_common(top)]


WantedSops = Callable[[UnderstandingCase, Suggestion], list[str]]
"""The SOPs a case's labels call for, given what the pipeline made of it (its severity)."""


def score(
    cases: Sequence[UnderstandingCase],
    suggest: Callable[[Event], Suggestion],
    read_facts: Callable[[Event], dict[str, Any]],
    wanted_sops: WantedSops | None = None,
) -> Scores:
    """Run every case; facts are judged only on paths the corpus labels somewhere.

    With ``wanted_sops``, SOP selection is judged too: the SOPs selected against
    those the expected category, its secondary codes and the labelled facts call for.
    """
    scores = Scores(labelled=frozenset(p for c in cases for p in c.facts))
    for case in cases:
        event = Event(text=case.text, language=case.lang)
        s = suggest(event)
        scores.outcomes.append(
            Outcome(
                case,
                s.category.code,
                list(s.category.secondary),
                s.severity.level,
                read_facts(event),
                s.precedents[0].category if s.precedents else None,
                [r.id for r in s.sops],
                wanted_sops(case, s) if wanted_sops else None,
            )
        )
    return scores
