"""The archive readers see: hidden incidents are removed and counted, never shown."""

from __future__ import annotations

from agent.archive import Archive
from agent.rules.need_to_know import Clearance
from agent.settings import Settings
from agent.store.db import engine_for
from agent.store.incidents import IncidentRepository
from tests.unit.test_store_incidents import incident

SECRET = incident(id="INC-SECRET-1", title="Ammonia leak at the secret site", marking="secret",
                  compartments=["ops"])


def archive_with_a_secret() -> Archive:
    archive = Archive(Settings())
    shipped = archive.count()  # loads the shipped history on first use
    IncidentRepository(engine_for(Settings())).upsert([SECRET], "test")
    assert archive.count() == shipped + 1
    return archive


def test_a_hidden_incident_is_counted_not_shown() -> None:
    archive = archive_with_a_secret()
    public = Clearance.parse("internal")
    visible, hidden = archive.search(public, text="ammonia")
    assert "INC-SECRET-1" not in {i.id for i in visible} and hidden >= 1
    allowed, none_hidden = archive.search(Clearance.parse("secret:ops"), text="secret site")
    assert [i.id for i in allowed] == ["INC-SECRET-1"] and none_hidden == 0


def test_a_hidden_id_is_answered_like_a_missing_one() -> None:
    archive = archive_with_a_secret()
    assert archive.get("INC-SECRET-1", Clearance.parse("internal")) is None
    assert archive.get("INC-NOPE", Clearance.parse("internal")) is None
    found = archive.get("INC-SECRET-1", Clearance.parse("secret:ops"))
    assert found is not None and found.title == SECRET.title
    assert archive.sites()
