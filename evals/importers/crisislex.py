"""Suite ``crisislex``: the 26 CrisisLexT26 events (2012-2013), category only.

* **inputs**: the first :data:`PER_STEP` tweets labelled "Related and informative",
  time-ordered by tweet id (ids are Twitter snowflakes, so they carry the post
  time); URLs are removed. Two **timed updates** follow with the next tweets, at
  their real offsets from the first tweet;
* **expected category**: the event's ``categorization.type`` mapped onto the
  taxonomy (:data:`TYPE_TO_CODE`); "Crash" is split by the event name (train or
  air). The meteor airburst has no taxonomy code and is not scored on category.
  No actions are recorded in this dataset.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evals.case import CaseExpected, CaseInputs, CaseMetadata, EvalCase, Update
from evals.importers import clean, require, slug
from evals.suite import Suite

NAME = "crisislex"
FOLDER = Path("crisislex-t26")
PER_STEP, UPDATES = 5, 2
TWITTER_EPOCH_MS = 1288834974657
TYPE_TO_CODE: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "Earthquake": ("NAT.earthquake", ()),
    "Floods": ("NAT.flood", ("NAT.storm_wind",)),
    "Typhoon": ("NAT.storm_wind", ("NAT.flood",)),
    "Wildfire": ("NAT.wildfire", ()),
    "Derailment": ("TRN.rail", ("TRN.hazmat_transport",)),
    "Explosion": ("IND.explosion", ("IND.fire",)),
    "Bombings": ("SEC.violent_attack", ("SEC.bomb_threat",)),
    "Shootings": ("SEC.violent_attack", ()),
    "Collapse": ("IND.structural_collapse", ()),
    "Fire": ("IND.fire", ("HLT.mass_casualty",)),
    "Haze": ("NAT.wildfire", ("HLT.contamination",)),
    "Meteorite": (None, ()),
}
"""CrisisLex type -> (expected code, also accepted codes)."""


def snowflake_time(tweet_id: int) -> datetime:
    """The UTC post time encoded in a Twitter snowflake id."""
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)


def expected_code(event: dict[str, Any], name: str) -> tuple[str | None, list[str]]:
    """The taxonomy code (and accepted alternatives) of one event description."""
    kind = str(event["categorization"]["type"])
    if kind == "Crash":
        return ("TRN.rail", []) if "train" in name.lower() else ("TRN.air", [])
    code, also = TYPE_TO_CODE.get(kind, (None, ()))
    return code, list(also)


def load_suite(data_dir: Path) -> Suite:
    """The suite from the per-event folders (SuiteUnavailable when absent)."""
    folder = require(data_dir / FOLDER, NAME)
    cases = [_case(d) for d in sorted(folder.iterdir()) if _is_event(d)]
    return Suite(NAME, [c for c in cases if c is not None], str(folder))


def _is_event(path: Path) -> bool:
    return path.is_dir() and any(path.glob("*-event_description.json"))


def informative(path: Path) -> list[tuple[int, str]]:
    """(tweet id, text) of the informative tweets of one event, oldest first, retweets merged."""
    with path.open(newline="", encoding="utf-8", errors="replace") as fh:
        rows = [
            {(k or "").strip(): v for k, v in r.items()}
            for r in csv.DictReader(fh, skipinitialspace=True)
        ]
    kept = [
        (int(r["Tweet ID"].strip().strip('"')), _tweet(r.get("Tweet Text") or ""))
        for r in rows
        if (r.get("Informativeness") or "").strip() == "Related and informative"
    ]
    seen: set[str] = set()
    out: list[tuple[int, str]] = []
    for tweet_id, text in sorted(kept):
        key = text.lower().removeprefix("rt ").split(":", 1)[-1].strip()
        if text and key not in seen:
            seen.add(key)
            out.append((tweet_id, text))
    return out


def _tweet(text: str) -> str:
    words = [w for w in clean(text).split() if not w.startswith(("http://", "https://"))]
    return " ".join(words)


def _case(folder: Path) -> EvalCase | None:
    event = json.loads(next(folder.glob("*-event_description.json")).read_text("utf-8"))
    tweets_file = next(folder.glob("*-tweets_labeled.csv"), None)
    tweets = informative(tweets_file) if tweets_file else []
    if not tweets:
        return None
    code, also = expected_code(event, folder.name)
    batches = [tweets[i : i + PER_STEP] for i in range(0, PER_STEP * (UPDATES + 1), PER_STEP)]
    t0 = snowflake_time(batches[0][0][0])
    updates = [
        Update(at=snowflake_time(b[0][0]) - t0, text="\n".join(t for _, t in b))
        for b in batches[1:]
        if b
    ]
    return EvalCase(
        name=f"crisislex-{slug(folder.name)}",
        inputs=CaseInputs(
            text="\n".join(t for _, t in batches[0]),
            reported_at=t0,
            updates=[u for u in updates if u.at >= timedelta(0)],
        ),
        expected=CaseExpected(category=code, also_accept=also),
        metadata=CaseMetadata(
            source=f"CrisisLexT26 {folder.name} ({event.get('external_url', '')})",
            difficulty="hard" if event["categorization"]["category"] == "Mixed" else "medium",
            tags=["crisislex", slug(str(event["categorization"]["type"]))],
            notes=f"{event['categorization']}",
        ),
    )
