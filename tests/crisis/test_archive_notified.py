"""Closing a crisis archives the notifications operators logged as done, with the notes."""

from __future__ import annotations

from collections.abc import Callable

from agent.crisis.notices import mark_notified
from agent.crisis.service import CrisisService
from agent.domain import Event
from agent.guard.pack_guard import guard_for
from agent.store.archive import recheck_archived
from agent.store.incidents import IncidentRepository

LEAK = Event(text="Ammonia leak near compressor 3, 2 injured, vapour cloud", site="SITE-01")


def test_close_archives_notified_entries_in_log_order(
    make_service: Callable[..., CrisisService],
) -> None:
    service = make_service()
    opened = service.open(LEAK, author="alice", crisis_id="CR-NOTIFIED")
    assert opened.suggestion is not None
    recipients = [n.to for n in opened.suggestion.notifications]
    assert recipients, "the leak owes notifications"
    told = mark_notified(service, "CR-NOTIFIED", recipients[0], author="bob").entry
    note = service.note("CR-NOTIFIED", "gate closed to traffic", author="bob")
    service.approve("CR-NOTIFIED", 1, author="alice")
    service.close("CR-NOTIFIED", resolution="leak stopped", outcome="no injury", author="alice")

    incident = next(i for i in IncidentRepository(service.engine).all() if "CR-NOTIFIED" in i.id)
    logged = [a for a in incident.actions if a.text in (told.summary, note.summary)]
    assert [a.text for a in logged] == [told.summary, note.summary]
    assert all(a.action_type is None and a.at is not None for a in logged)
    assert logged[0].at == told.at - service.require("CR-NOTIFIED").opened_at
    reread = recheck_archived([incident], guard_for(service.deps.pack))[0]  # as planning reads it
    assert told.summary in [a.text for a in reread.actions]
