"""Importer runs on real public archives under ../shared/data (skipped when absent)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agent.store.db import init_db, make_engine
from agent.store.importer import import_records
from agent.store.incidents import IncidentRepository, UpsertResult

SHARED_DATA = Path(__file__).parents[2].parent / "shared" / "data"
SAFENET_2015 = SHARED_DATA / "nifc-safenet-safecom" / "SAFENET_2015.csv"
POSTMORTEMS = SHARED_DATA / "cloud-postmortems-issre22" / "all_postmortems.jsonl"

pytestmark = pytest.mark.realdata


def require(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"real dataset not available: {path}")
    return path


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = make_engine("sqlite://")
    init_db(engine)
    yield engine
    engine.dispose()


def test_safenet_csv(engine: Engine) -> None:
    path = require(SAFENET_2015)
    mapping = {
        "title": "Incident Name",
        "summary": "Narrative",
        "resolution": "Immediate Action Taken",
        "actions": "Immediate Action Taken",
        "occurred_at": "Event Start Date",
        "site": "Event Local Unit",
    }
    defaults = {"category": "NAT.wildfire", "severity": "S3", "outcome": "unknown"}
    result = import_records(path, "csv", mapping, defaults)
    assert result.rows == 66
    assert len(result.incidents) == 66 and not result.errors
    creek = result.incidents[0]
    assert creek.title == "Creek"
    assert creek.occurred_at == datetime(2015, 10, 13, 18, 0, tzinfo=UTC)
    assert creek.site == "CO-PSF"
    assert len(creek.actions) == 2 and creek.actions[0].text.startswith("Reprogrammed radio")
    assert not any("<br" in i.summary for i in result.incidents)
    repo = IncidentRepository(engine)
    assert repo.upsert(result.incidents, source=path.name) == UpsertResult(added=66)
    again = import_records(path, "csv", mapping, defaults)
    assert repo.upsert(again.incidents, source=path.name) == UpsertResult(unchanged=66)
    assert creek.id in [i.id for i in repo.search(text="tone guard", limit=200)]


def test_cloud_postmortems_jsonl() -> None:
    path = require(POSTMORTEMS)
    mapping = {
        "id": "id",
        "title": "title",
        "summary": "summary",
        "resolution": "mitigation.details",
        "actions": "mitigation.label",
        "occurred_at": "time",
        "source": "link",
    }
    defaults = {"category": "CYB.it_ot_outage", "severity": "S2", "outcome": "unknown"}
    result = import_records(path, "jsonl", mapping, defaults)
    assert result.rows == 356
    assert len(result.incidents) == 354
    messages = sorted(e.message for e in result.errors)
    assert messages[0].startswith("duplicate id 'azure-20180904-1'")
    assert messages[1] == "resolution: Field required"
    aws = result.incidents[0]
    assert aws.id == "aws-1" and aws.occurred_at == datetime(2011, 6, 4, tzinfo=UTC)
    assert aws.source.startswith("https://aws.amazon.com/")
    assert [a.text for a in aws.actions][:2] == ["restore power", "recover instances manually"]
