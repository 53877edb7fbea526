"""The don'ts of the hour: every forbidden action of the selected SOPs, once."""

from __future__ import annotations

from agent.pack.models import Sop
from agent.rules.donts import donts


def test_every_forbidden_action_of_the_selected_sops_is_said(tox_sop: Sop) -> None:
    got = donts([tox_sop])
    assert [d.ref for d in got] == [f"{tox_sop.id}/{f.id}" for f in tox_sop.forbidden_actions]
    assert all(d.text and d.sop_id == tox_sop.id for d in got)


def test_the_same_dont_in_two_sops_is_said_once(tox_sop: Sop) -> None:
    twin = tox_sop.model_copy(update={"id": "SOP-IND-TOX-099"})
    got = donts([tox_sop, twin])
    assert len(got) == len(tox_sop.forbidden_actions)
    assert {d.sop_id for d in got} == {tox_sop.id}


def test_no_sop_no_donts() -> None:
    assert donts([]) == []
