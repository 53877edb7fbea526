"""Security events that belong to no crisis: failed sign-ins, SOP edits, exports.

Decisions and notes already go to the crisis log with their author; these go to an
append-only JSON-lines file beside the database (``<home>/audit.jsonl``) and to the
``crisiscell.audit`` logger. A password is never passed here.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

from agent.domain import utcnow

AUDIT_FILE = "audit.jsonl"
log = logging.getLogger("crisiscell.audit")


def record(home: Path, event: str, who: str, **fields: str) -> None:
    """Append one event (``sign_in_failed``, ``sop_saved``, ``export``...) with who and when."""
    record_at(home, utcnow(), event, who, **fields)


def record_at(home: Path, at: datetime, event: str, who: str, /, **fields: str) -> None:
    """:func:`record` at a given time (the sign-in gate passes its clock, tests a fake one)."""
    line = {"at": at.isoformat(), "event": event, "who": who, **fields}
    log.info("%s", json.dumps(line, ensure_ascii=False))
    home.mkdir(parents=True, exist_ok=True)
    with (home / AUDIT_FILE).open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def events(home: Path) -> list[dict[str, str]]:
    """Every recorded event, oldest first (empty when nothing was recorded)."""
    path = home / AUDIT_FILE
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
