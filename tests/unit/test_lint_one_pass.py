"""``sops lint`` in one pass: semantic findings still show in a file with schema errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent.pack.lint import Finding
from agent.pack.loader import lint_pack

BROKEN = """\
id: SOP-GEN-BRK-001
version: 1.0.0
status: approved
title: Planted problems
owner: crisis_manager
valid_from: 2025-01-01
applies_to: {categories: ["IND.toxic_relase"]}
roles:
  IC: {ics: incident_commander}
steps:
  - {id: S01, phase: command, action: Open the log, action_type: alert, owner: IC,
     deadline: PT10M}
  - {id: S02, phase: command, action: Broken step, action_type: not_a_type, owner: IC}
  - {id: S03, phase: assess, action: Size up, action_type: assess, owner: nobody,
     depends_on: [S02]}
  - {id: S04, phase: assess, action: "Keep {radius_m} m clear", action_type: isolate,
     owner: IC, depends_on: [S99]}
  - {id: S01, phase: assess, action: Twice, action_type: assess, owner: IC}
notifications:
  - {to: management, within: soon, mandatory: true}
  - {to: fire_rescue, within: PT5M, mandatory: true}
"""


@pytest.fixture
def findings(pack_dir: Path, tmp_path: Path) -> list[Finding]:
    root = tmp_path / "pack"
    shutil.copytree(pack_dir, root)
    (root / "SOP-GEN-BRK-001.yaml").write_text(BROKEN)
    return [f for f in lint_pack(root) if f.file.name == "SOP-GEN-BRK-001.yaml"]


def by_key(findings: list[Finding]) -> dict[str, tuple[int, str]]:
    return {f.key: (f.line, f.code) for f in findings}


def test_schema_and_semantic_problems_show_in_one_run(findings: list[Finding]) -> None:
    keys = by_key(findings)
    assert keys["steps.1.action_type"] == (13, "schema")
    assert keys["notifications.0.within"][1] == "duration"
    assert keys["applies_to.categories.0"] == (7, "taxonomy")
    assert keys["steps.2.owner"] == (14, "role")
    assert keys["steps.3.depends_on.0"] == (17, "reference")
    assert keys["steps.3.action"] == (16, "reference")
    assert keys["steps.4.id"] == (18, "duplicate_id")


def test_findings_keep_the_file_s_own_lines_and_keys(findings: list[Finding]) -> None:
    dup = next(f for f in findings if f.code == "duplicate_id")
    assert "first at line 11" in dup.message
    assert all(str(f).startswith(f"{f.file}:{f.line}: {f.key}: ") for f in findings)


def test_a_reference_to_a_broken_part_is_left_to_its_schema_error(
    findings: list[Finding],
) -> None:
    assert not [f for f in findings if "'S02'" in f.message]


def test_a_file_that_cannot_be_salvaged_reports_its_schema_errors_only(
    pack_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "pack"
    shutil.copytree(pack_dir, root)
    (root / "SOP-GEN-BRK-002.yaml").write_text("id: SOP-GEN-BRK-002\nsteps: 3\n")
    mine = [f for f in lint_pack(root) if f.file.name == "SOP-GEN-BRK-002.yaml"]
    assert mine and all(f.code == "schema" for f in mine)
