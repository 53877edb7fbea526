"""Suite ``safenet``: wildland-fire safety reports (NIFC SAFENET via nasa/mika), 1999-2021.

Only real emergencies are kept: *Line* activity on a *Wildland* or *All Hazard*
incident, not a "Non-incident" stage, with a narrative of 100+ characters and an
"Immediate Action Taken" of 50+ characters.

* **inputs**: the narrative (what the reporter saw), as the T0 report;
* **expected category**: ``NAT.wildfire`` for Wildland incidents (All-Hazard-only
  reports are not scored on category); ``INF.telecom_outage`` is also accepted
  when "Communications" is a contributing factor, since those reports are about
  radio or repeater failures during the fire;
* **actions taken**: up to three sentences of "Immediate Action Taken", each
  typed by :data:`ACTION_CUES` (untyped sentences match on text alone).
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

from agent.domain import ActionTaken
from agent.pack.models import ActionType
from evals.case import CaseExpected, CaseInputs, CaseMetadata, EvalCase
from evals.forbidden import forbidden_for
from evals.importers import clean, require, sentences, slug
from evals.suite import Suite

NAME = "safenet"
FOLDER = Path("nifc-safenet-safecom")
MIN_NARRATIVE, MIN_ACTION, MAX_ACTIONS = 100, 50, 3
_A = ActionType
ACTION_CUES: tuple[tuple[ActionType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            _A.rescue,
            r"medic|emt\b|first aid|transport(ed)? (him|her|the patient)|hospital|"
            r"treat(ed)?|injur",
        ),
        (
            _A.evacuate,
            r"evacuat|safety zone|escape route|pulled (out|back)|withdr[ae]w|"
            r"moved (the )?(crew|resources|people)",
        ),
        (_A.contain, r"\b(stop|stopped|halt|halted|suspend|ceas|disengag|shut down|held)"),
        (
            _A.notify,
            r"notif|report(ed)?|call(ed)? (dispatch|the)|contact|inform|brief|"
            r"safenet|supervisor",
        ),
        (_A.assess, r"inspect|review|evaluat|assess|check|investigat|\baar\b|scout|size.?up"),
        (_A.mitigate, r"fix|repair|replac|reprogram|chang|clear|adjust|tone|frequenc"),
        (_A.communicate, r"radio|cell phone|communicat|relay"),
        (_A.alert, r"warn|alert|announc"),
        (_A.recover, r"resum|return(ed)? to"),
    )
)
"""Action type cues, tried in order; the first that matches types the sentence."""


def action_type(text: str) -> ActionType | None:
    """The action type of one sentence of "Immediate Action Taken", or None."""
    return next((kind for kind, cue in ACTION_CUES if cue.search(text)), None)


def load_suite(data_dir: Path) -> Suite:
    """The suite from ``SAFENET_<year>.csv`` (SuiteUnavailable when absent)."""
    folder = require(data_dir / FOLDER, NAME)
    files = sorted(folder.glob("SAFENET_[0-9][0-9][0-9][0-9].csv"))
    if not files:
        require(folder / "SAFENET_1999.csv", NAME)
    rows = [row for f in files for row in _read(f) if keep(row)]
    cases = [_case(r) for r in rows]
    unique = {c.name: c for c in cases}
    return Suite(NAME, sorted(unique.values(), key=lambda c: c.name), str(folder))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        return [
            {(k or "").strip(): (v or "") for k, v in row.items()}
            for row in csv.DictReader(fh, skipinitialspace=True)
        ]


def keep(row: dict[str, str]) -> bool:
    """A real emergency with a substantive action (the filter in the module docstring)."""
    kind, activity = row.get("Event Incident Type", ""), row.get("Event Incident Activity", "")
    if "Line" not in activity or not ("Wildland" in kind or "All Hazard" in kind):
        return False
    if "Non-incident" in row.get("Event Incident Stage", ""):
        return False
    narrative, action = clean(row.get("Narrative")), clean(row.get("Immediate Action Taken"))
    return len(narrative) >= MIN_NARRATIVE and len(action) >= MIN_ACTION and bool(row.get("ID"))


def _actions(text: str) -> list[ActionTaken]:
    parts = [s for s in sentences(text) if len(s.split()) >= 4][:MAX_ACTIONS]
    return [ActionTaken(text=s[:500], action_type=action_type(s)) for s in parts]


def _reported(row: dict[str, str]) -> datetime | None:
    for fmt in ("%m/%d/%Y %H:%M", "%m/%d/%Y"):
        try:
            return datetime.strptime(row.get("Event Start Date", "").strip(), fmt).replace(
                tzinfo=UTC
            )
        except ValueError:
            continue
    return None


def _factors(row: dict[str, str]) -> list[str]:
    return [f.strip() for f in row.get("Contributing Factors", "").split(";") if f.strip()]


def _case(row: dict[str, str]) -> EvalCase:
    wildland = "Wildland" in row.get("Event Incident Type", "")
    category = "NAT.wildfire" if wildland else None
    also = ["INF.telecom_outage"] if wildland and "Communications" in _factors(row) else []
    actions = _actions(row["Immediate Action Taken"])
    return EvalCase(
        name=f"safenet-{slug(row['ID'])}",
        inputs=CaseInputs(text=clean(row["Narrative"])[:8000], reported_at=_reported(row)),
        expected=CaseExpected(
            category=category,
            also_accept=also,
            actions=actions,
            forbidden=forbidden_for(category),
        ),
        metadata=CaseMetadata(
            source=f"NIFC SAFENET report {row.get('SAFENET ID', '').strip() or row['ID']}",
            difficulty="hard" if len(_factors(row)) > 2 else "medium",
            tags=["safenet", *(slug(f) for f in _factors(row))],
            notes=f"{row.get('Event Incident Type', '')} {row.get('Event Incident Activity', '')}"
            f" {row.get('Event Incident Stage', '')}".strip(),
        ),
    )
