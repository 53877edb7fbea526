"""Importers on the real files in ../shared/data (skipped when absent) and their pure parts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.pack.models import ActionType as A
from evals.importers import cloud, crisislex, safenet
from evals.suites import REAL_DATA_SUITES, SuiteUnavailable, load_suite
from tests.evals.conftest import needs_shared


@pytest.mark.parametrize("name", REAL_DATA_SUITES)
def test_suites_skip_cleanly_without_data(name: str, tmp_path: Path) -> None:
    with pytest.raises(SuiteUnavailable, match="skipped"):
        load_suite(name, tmp_path)


@pytest.mark.parametrize(
    ("label", "key", "kind"),
    [
        ("roll back deployment", "rollback", A.recover),
        ("revert configuration change", "rollback", A.recover),
        ("restore power", "restore_power", A.recover),
        ("reroute network traffic", "redirect_traffic", A.recover),
        ("add capacity", "add_capacity", A.recover),
        ("deploy a platform hotfix", "hotfix", A.mitigate),
        ("change configuration", "config_change", A.mitigate),
        ("restart service", "restart", A.recover),
        ("repair fiber", "repair_hardware", A.recover),
        ("self-healed", "self_healed", None),
        ("block load", "reduce_load", A.mitigate),
    ],
)
def test_cloud_canonical_actions(label: str, key: str, kind: A | None) -> None:
    hit = cloud.canonical(label)
    assert hit is not None and hit.key == key and hit.action_type == kind


def test_cloud_report_drops_mitigation_sentences() -> None:
    row = {
        "title": "Outage in West Europe",
        "summary": "Storage failed in West Europe. Engineers rolled back the change. "
        "Customers saw errors.",
    }
    text = cloud.report_text(row)
    assert "rolled back" not in text and "Customers saw errors." in text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The EMT treated the injured firefighter on scene.", A.rescue),
        ("Crews pulled back to the safety zone immediately.", A.evacuate),
        ("Notified dispatch and the duty officer of the problem.", A.notify),
        ("Reprogrammed all radios with the correct tone guard.", A.mitigate),
        ("Nothing more to say about it.", None),
    ],
)
def test_safenet_action_types(text: str, kind: A | None) -> None:
    assert safenet.action_type(text) == kind


def test_snowflake_time() -> None:
    """An Alberta floods tweet (event start 17/06/2013): (id >> 22) + Twitter epoch."""
    when = crisislex.snowflake_time(347686624563429378)
    assert when == datetime(2013, 6, 20, 12, 5, 25, 658000, tzinfo=UTC)
    assert crisislex.snowflake_time(0) == datetime(2010, 11, 4, 1, 42, 54, 657000, tzinfo=UTC)


@needs_shared
@pytest.mark.realdata
def test_cloud_suite_on_real_file() -> None:
    suite = load_suite("cloud-postmortems")
    assert len(suite.cases) >= 350 and len(suite.extra_incidents) == len(suite.cases)
    assert all(c.expected.category == "CYB.it_ot_outage" for c in suite.cases)
    assert all(c.name not in c.expected.precedents for c in suite.cases)
    with_actions = [c for c in suite.cases if c.expected.actions]
    assert len(with_actions) >= 300
    s3 = next(c for c in suite.cases if c.name == "cloud-aws-6")
    assert [a.text for a in s3.expected.actions] == [cloud.CANONICAL[8].text]


@needs_shared
@pytest.mark.realdata
def test_safenet_suite_on_real_files() -> None:
    suite = load_suite("safenet")
    assert 500 <= len(suite.cases) <= 1214
    for case in suite.cases:
        assert case.expected.actions and len(case.inputs.text) >= safenet.MIN_NARRATIVE
        assert case.expected.category in (None, "NAT.wildfire")


@needs_shared
@pytest.mark.realdata
def test_crisislex_suite_on_real_files() -> None:
    suite = load_suite("crisislex")
    assert len(suite.cases) == 26
    by_name = {c.name: c for c in suite.cases}
    assert by_name["crisislex-2013-lac-megantic-train-crash"].expected.category == "TRN.rail"
    assert by_name["crisislex-2013-glasgow-helicopter-crash"].expected.category == "TRN.air"
    assert by_name["crisislex-2013-russia-meteor"].expected.category is None
    for case in suite.cases:
        offsets = [u.at for u in case.inputs.updates]
        assert offsets == sorted(offsets) and not case.expected.actions
