"""Suite ``cloud-postmortems``: 355 cloud outage post-mortems (IntelligentDDS, ISSRE'22).

* **inputs**: ``title + summary``, minus the sentences that say how it was
  mitigated (:data:`MITIGATION_CUES`), as known at T0;
* **expected category**: ``CYB.it_ot_outage`` (the taxonomy's IT-outage subtype);
  ``INF.power_outage`` is also accepted when a root cause names power, and
  ``INF.telecom_outage`` when it names a fibre cut;
* **actions taken**: the free-text ``mitigation.label`` values mapped to 15
  canonical actions (:data:`CANONICAL`); "self-healed" is not an action;
* **precedents**: the other post-mortems with the same root-cause layer-2 and the
  same first canonical mitigation. They join the archive during this suite's
  replay (leave-one-out hides the replayed one). Their severity is a placeholder
  (``S3``): the post-mortems carry none and retrieval does not read it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.domain import ActionTaken, Incident
from agent.pack.models import ActionType
from evals.case import CaseExpected, CaseInputs, CaseMetadata, Difficulty, EvalCase
from evals.forbidden import forbidden_for
from evals.importers import clean, require, sentences, slug
from evals.suite import Suite

NAME = "cloud-postmortems"
FILE = Path("cloud-postmortems-issre22") / "all_postmortems.jsonl"
CATEGORY = "CYB.it_ot_outage"
MITIGATION_CUES = re.compile(
    r"\b(mitigat\w*|roll(ed|ing)? ?back|revert\w*|restor\w*|recover\w*|resolv\w*|fix\w*|"
    r"hotfix\w*|restart\w*|fail(ed)? ?over|redirect\w*|rerout\w*|re-rout\w*|workaround|"
    r"scal(ed|ing) (out|up)|added capacity|engineers (were able|applied|deployed))\b",
    re.IGNORECASE,
)
_A = ActionType


@dataclass(frozen=True)
class Canonical:
    """One canonical mitigation: key, label pattern, action type and SOP-like text."""

    key: str
    pattern: re.Pattern[str]
    action_type: ActionType | None
    text: str


def _c(key: str, pattern: str, kind: ActionType | None, text: str) -> Canonical:
    return Canonical(key, re.compile(pattern, re.IGNORECASE), kind, text)


CANONICAL: tuple[Canonical, ...] = (
    _c("self_healed", r"self.?heal|automatic|no operation", None, "Recovered on its own"),
    _c(
        "rollback",
        r"roll.?back|revert|undo|restore (the )?config",
        _A.recover,
        "Roll back the recent deployment or configuration change",
    ),
    _c(
        "restore_power",
        r"power|generator",
        _A.recover,
        "Restore power to the affected data centre equipment",
    ),
    _c(
        "redirect_traffic",
        r"traffic|rerout|re-rout|redirect|divert|fail.?over|shift",
        _A.recover,
        "Redirect traffic or fail over to a healthy region or site",
    ),
    _c(
        "add_capacity",
        r"capacity|scal(e|ed) out|increase (server|backend)",
        _A.recover,
        "Add capacity or scale out the affected service",
    ),
    _c(
        "reduce_load",
        r"load|throttl|block (request|load)|rate.?limit|reduce|pause request|queue|free memory",
        _A.mitigate,
        "Reduce, throttle or block load on the affected service",
    ),
    _c(
        "hotfix",
        r"hot.?fix|\bfix|patch|software|deploy|update|roll(ed)? out",
        _A.mitigate,
        "Deploy a hotfix or patch for the faulty software",
    ),
    _c(
        "config_change",
        r"config|setting|threshold|timeout|dns|parameter",
        _A.mitigate,
        "Change the configuration of the affected service",
    ),
    _c(
        "restart",
        r"restart|reboot|reset|re-?enable|bring .* online",
        _A.recover,
        "Restart the affected services, nodes or controllers",
    ),
    _c(
        "repair_hardware",
        r"fib(er|re)|replace|hardware|cable|repair|network|device",
        _A.recover,
        "Repair or replace the faulty hardware or network link",
    ),
    _c(
        "isolate_component",
        r"isolat|remov|withdr|rotation|exclude",
        _A.isolate,
        "Isolate the faulty component and take it out of service",
    ),
    _c(
        "disable_feature",
        r"disabl|pause|halt|stop|suspend|block",
        _A.contain,
        "Pause or disable the failing operation, feature or workflow",
    ),
    _c("restore_data", r"data|backup|replica", _A.recover, "Restore data from backups or replicas"),
    _c(
        "manual_recovery",
        r"manual|recover|intervention",
        _A.recover,
        "Manually recover the affected instances and systems",
    ),
    _c(
        "investigate",
        r"investigat|troubleshoot|diagnos|monitor|address|tool",
        _A.assess,
        "Investigate the failure on dashboards, logs and monitoring",
    ),
)
"""Label patterns, tried in order: the first that matches names the canonical action."""


def canonical(label: str) -> Canonical | None:
    """The canonical action of a free-text mitigation label, or None when unmapped."""
    return next((c for c in CANONICAL if c.pattern.search(label)), None)


def load_suite(data_dir: Path) -> Suite:
    """The suite from ``all_postmortems.jsonl`` (SuiteUnavailable when absent)."""
    path = require(data_dir / FILE, NAME)
    records = _records(path)
    keys = {r["_id"]: _precedent_key(r) for r in records}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rid, key in keys.items():
        if key is not None:
            groups[key].append(rid)
    cases = [_case(r, _group(groups, keys[r["_id"]])) for r in records]
    incidents = [_incident(r) for r in records]
    return Suite(NAME, cases, str(path), extra_incidents=incidents)


def _group(groups: dict[tuple[str, str], list[str]], key: tuple[str, str] | None) -> list[str]:
    return groups.get(key, []) if key is not None else []


def _records(path: Path) -> list[dict[str, Any]]:
    """Rows with a title and summary, each given a unique ``_id`` (duplicates suffixed)."""
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if not row.get("title") or not row.get("summary") or not row.get("id"):
            continue
        base = f"cloud-{slug(str(row['id']))}"
        seen[base] = seen.get(base, 0) + 1
        row["_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(row)
    return out


def _labels(row: dict[str, Any], field: str) -> list[Any]:
    return list((row.get(field) or {}).get("label") or [])


def _actions(row: dict[str, Any]) -> tuple[list[Canonical], list[str]]:
    """Unique canonical actions of a row (in label order) and the labels left unmapped."""
    found: dict[str, Canonical] = {}
    unmapped: list[str] = []
    for label in _labels(row, "mitigation"):
        hit = canonical(str(label))
        if hit is None:
            unmapped.append(str(label))
        else:
            found.setdefault(hit.key, hit)
    return list(found.values()), unmapped


def _root_layer2(row: dict[str, Any]) -> str:
    labels = _labels(row, "root cause")
    return str((labels[0] or {}).get("layer-2") or "unknown") if labels else "unknown"


def _precedent_key(row: dict[str, Any]) -> tuple[str, str] | None:
    acts, _ = _actions(row)
    if not acts or _root_layer2(row) == "unknown":
        return None
    return _root_layer2(row), acts[0].key


def _layer3(row: dict[str, Any]) -> str:
    return " ".join(str(lab.get("layer-3") or "") for lab in _labels(row, "root cause"))


def _also_accept(row: dict[str, Any]) -> list[str]:
    layer3 = _layer3(row).lower()
    out = ["INF.power_outage"] if "power" in layer3 else []
    return out + (["INF.telecom_outage"] if "fiber" in layer3 else [])


def report_text(row: dict[str, Any]) -> str:
    """Title and summary without the sentences that describe the mitigation."""
    kept = [s for s in sentences(row["summary"]) if not MITIGATION_CUES.search(s)]
    body = " ".join(kept) or sentences(row["summary"])[0]
    return f"{clean(row['title'])}. {body}"


def _occurred(row: dict[str, Any]) -> datetime:
    try:
        return datetime.strptime(str(row.get("time")), "%m/%d/%Y").replace(tzinfo=UTC)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=UTC)


def _difficulty(row: dict[str, Any], acts: list[Canonical]) -> Difficulty:
    causes = _labels(row, "root cause")
    if _root_layer2(row) == "unknown" or len(causes) > 2:
        return "hard"
    return "easy" if len(causes) == 1 and len(acts) == 1 else "medium"


def _case(row: dict[str, Any], group: list[str]) -> EvalCase:
    acts, unmapped = _actions(row)
    taken = [ActionTaken(text=a.text, action_type=a.action_type) for a in acts if a.action_type]
    labels = ", ".join(str(x) for x in _labels(row, "mitigation"))
    notes = f"mitigation labels: {labels}" + (f"; unmapped: {unmapped}" if unmapped else "")
    return EvalCase(
        name=row["_id"],
        inputs=CaseInputs(text=report_text(row)[:20_000], reported_at=_occurred(row)),
        expected=CaseExpected(
            category=CATEGORY,
            also_accept=_also_accept(row),
            precedents=sorted(i for i in group if i != row["_id"]),
            actions=taken,
            forbidden=forbidden_for(CATEGORY),
        ),
        metadata=CaseMetadata(
            source=f"IntelligentDDS post-mortems: {row.get('provider', '?')} {row['id']}",
            difficulty=_difficulty(row, acts),
            tags=_tags(row, acts),
            incident_id=row["_id"],
            notes=notes,
        ),
    )


def _tags(row: dict[str, Any], acts: list[Canonical]) -> list[str]:
    provider = slug(str(row.get("provider") or "unknown"))
    return ["cloud", provider, f"cause-{slug(_root_layer2(row))}", *(a.key for a in acts)]


def _incident(row: dict[str, Any]) -> Incident:
    acts, _ = _actions(row)
    mitigation = clean((row.get("mitigation") or {}).get("details")) or "Not recorded."
    symptoms = ", ".join(row.get("impact symptom") or []) or "unknown impact"
    return Incident(
        id=row["_id"],
        title=clean(row["title"])[:300],
        occurred_at=_occurred(row),
        category=CATEGORY,
        severity="S3",
        summary=report_text(row).split(". ", 1)[-1][:4000],
        actions=[ActionTaken(text=a.text, action_type=a.action_type) for a in acts],
        resolution=mitigation[:2000],
        outcome=f"{symptoms}; duration {row.get('duration') or 'unknown'} min",
        source=", ".join(row.get("link") or []) or "IntelligentDDS post-mortems",
        tags=_tags(row, acts),
    )
