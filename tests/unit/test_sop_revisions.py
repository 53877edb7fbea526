"""An approved SOP changes only as a new version, approved by someone else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent.pack.models import Sop
from agent.pack.revisions import keep_previous, revision_problem, version_key
from tests.conftest import ROOT

TEXT = (ROOT / "sops" / "SOP-IND-TOX-001.yaml").read_text("utf-8")
APPROVED = Sop.model_validate(yaml.safe_load(TEXT))


def edited(**changes: object) -> Sop:
    return APPROVED.model_copy(update=changes)


def bump(version: str) -> str:
    major, minor, patch = version_key(version)
    return f"{major}.{minor}.{patch + 1}"


def test_an_approved_sop_is_not_changed_in_place() -> None:
    problem = revision_problem(APPROVED, edited(title="Something else"), "alice")
    assert problem is not None and "never changed in place" in problem


def test_saving_it_unchanged_is_no_change() -> None:
    assert revision_problem(APPROVED, edited(), "alice") is None


def test_a_new_version_as_draft_may_be_saved_by_its_author() -> None:
    draft = edited(version=bump(APPROVED.version), status="draft", approved_by=None)
    assert revision_problem(APPROVED, draft, "alice") is None


@pytest.mark.parametrize("approver", [None, "alice", " Alice "])
def test_a_new_approved_version_needs_another_approver(approver: str | None) -> None:
    new = edited(version=bump(APPROVED.version), status="approved", approved_by=approver)
    problem = revision_problem(APPROVED, new, "alice")
    assert problem is not None and "approver other than its author" in problem


def test_a_new_approved_version_approved_by_someone_else_passes() -> None:
    new = edited(version=bump(APPROVED.version), status="approved", approved_by="bob")
    assert revision_problem(APPROVED, new, "alice") is None


def test_versions_compare_as_numbers_and_ids_do_not_change() -> None:
    assert version_key("1.2.10") > version_key("1.2.9")
    problem = revision_problem(APPROVED, edited(id="SOP-IND-TOX-999"), "alice")
    assert problem is not None and "id cannot change" in problem
    assert revision_problem(None, APPROVED, "alice") is None
    draft = edited(status="draft")
    assert revision_problem(draft, edited(status="draft", title="t2"), "alice") is None


def test_the_replaced_text_is_kept(tmp_path: Path) -> None:
    kept = keep_previous(TEXT, APPROVED, tmp_path)
    assert kept.name == f"{APPROVED.id}@{APPROVED.version}.yaml"
    assert kept.read_text("utf-8") == TEXT
    keep_previous("something else", APPROVED, tmp_path)  # a version's text is kept once
    assert kept.read_text("utf-8") == TEXT
