"""The pack linter: one broken fixture per error kind, each finding pinned to file, line, key.

Every case copies the valid pack ``tests/fixtures/packs/base`` into a temporary
directory and lays the files of ``tests/fixtures/packs/broken/<case>`` over it,
so each fixture holds only what is broken.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli_sops import app
from agent.pack.lint import FINDING_CODES, Finding
from agent.pack.loader import lint_pack, lint_paths

PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "packs"
BASE = PACKS / "base"
BROKEN = PACKS / "broken"
BAD = "SOP-IND-BAD-101.yaml"


def make_pack(tmp_path: Path, case: str | None = None) -> Path:
    """The base pack, with the files of a broken case laid over it."""
    root = tmp_path / "pack"
    shutil.copytree(BASE, root)
    if case is not None:
        for path in (BROKEN / case).iterdir():
            shutil.copyfile(path, root / path.name)
    return root


def summary(findings: list[Finding]) -> list[tuple[str, int, str, str]]:
    return [(f.file.name, f.line, f.key, f.code) for f in findings]


CASES: dict[str, list[tuple[str, int, str, str]]] = {
    "binary": [(BAD, 3, "<file>", "encoding")],
    "latin1": [(BAD, 3, "<file>", "encoding")],
    "empty": [(BAD, 1, "<file>", "yaml")],
    "not_mapping": [(BAD, 2, "<file>", "yaml")],
    "yaml_syntax": [(BAD, 6, "<file>", "yaml")],
    "yaml_duplicate_key": [(BAD, 14, "steps", "yaml")],
    "yml_extension": [("SOP-IND-BAD-101.yml", 1, "<file>", "kind")],
    "kind": [("playbook.yaml", 2, "kind", "kind")],
    "schema_missing": [(BAD, 13, "steps.0.owner", "schema")],
    "schema_extra": [(BAD, 13, "steps.0.owner", "schema"), (BAD, 17, "steps.0.ownr", "schema")],
    "duration": [
        (BAD, 18, "steps.0.deadline", "duration"),
        (BAD, 20, "notifications.0.within", "duration"),
    ],
    "taxonomy": [
        (BAD, 9, "applies_to.categories.1", "taxonomy"),
        (BAD, 9, "applies_to.categories.2", "taxonomy"),
    ],
    "duplicate_sop_id": [
        ("SOP-IND-TOX-001-copy.yaml", 2, "id", "duplicate_id"),
        ("SOP-IND-TOX-001.yaml", 2, "id", "duplicate_id"),
    ],
    "duplicate_ids": [
        (BAD, 15, "steps.2.id", "duplicate_id"),
        (BAD, 18, "notifications.1.to", "duplicate_id"),
        (BAD, 21, "forbidden_actions.1.id", "duplicate_id"),
    ],
    "reference": [
        (BAD, 10, "applies_to.sites.1", "reference"),
        (BAD, 18, "steps.1.action", "reference"),
        (BAD, 21, "steps.1.depends_on.1", "reference"),
        (BAD, 22, "steps.1.on_failure", "reference"),
        (BAD, 23, "steps.1.anchor", "reference"),
        (BAD, 25, "escalation.0.activate.1", "reference"),
    ],
    "cycle": [(BAD, 15, "steps.1.depends_on", "cycle")],
    "role": [(BAD, 14, "steps.1.owner", "role")],
    "fact": [
        (BAD, 12, "triggers.any.0.field", "fact"),
        (BAD, 13, "triggers.any.1.op", "fact"),
        (BAD, 22, "steps.0.when.not.value", "fact"),
        (BAD, 24, "notifications.0.when.value", "fact"),
        (BAD, 26, "escalation.0.if.value", "fact"),
    ],
    "severity": [
        ("severity.yaml", 6, "levels.1.level", "schema"),
        ("severity.yaml", 7, "levels.2.level", "schema"),
        ("severity.yaml", 15, "dimensions.0.bands.1", "schema"),
        ("severity.yaml", 18, "dimensions.1.fact", "fact"),
        ("severity.yaml", 23, "dimensions.2.fact", "fact"),
        ("severity.yaml", 30, "dimensions.3.values.purple", "fact"),
        ("severity.yaml", 32, "floors.0.if.field", "fact"),
    ],
    "facts": [
        ("facts.yaml", 11, "facts.6.values", "fact"),
        ("facts.yaml", 15, "facts.10.path", "duplicate_id"),
        ("facts.yaml", 16, "facts.11.values", "fact"),
    ],
    "taxonomy_registry": [
        ("taxonomy.yaml", 11, "families.0.subtypes.1.code", "duplicate_id"),
        ("taxonomy.yaml", 19, "families.2.code", "duplicate_id"),
    ],
    "sites": [("sites.yaml", 7, "sites.2.id", "duplicate_id")],
    "concept": [(BAD, 16, "forbidden_actions.0.match.0.with.0", "concept")],
}


def test_base_pack_is_clean() -> None:
    assert lint_pack(BASE) == []


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted([*CASES, "multi"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_fixture(tmp_path: Path, case: str) -> None:
    findings = lint_pack(make_pack(tmp_path, case))
    assert summary(findings) == CASES[case]
    assert all(f.code in FINDING_CODES for f in findings)


@pytest.mark.parametrize(
    ("case", "key", "message"),
    [
        ("schema_missing", "steps.0.owner", "field required"),
        ("schema_extra", "steps.0.ownr", "extra key 'ownr' not allowed"),
        ("duration", "steps.0.deadline", "invalid duration 'PT5X' (ISO-8601, e.g. PT15M)"),
        ("role", "steps.1.owner", "role 'DOI' is not defined in roles"),
        ("cycle", "steps.1.depends_on", "dependency cycle: S02 -> S03 -> S02"),
        ("reference", "steps.1.depends_on.1", "step 'S09' does not exist in this SOP"),
        (
            "reference",
            "escalation.0.activate.1",
            "SOP 'SOP-XXX-YYY-999' does not exist in the pack",
        ),
        (
            "reference",
            "steps.1.action",
            "placeholder {distance_m} has no matching key in parameters",
        ),
        (
            "taxonomy",
            "applies_to.categories.1",
            "unknown category 'IND.fyre' (taxonomy v1.0.0); did you mean 'IND.fire'?",
        ),
        (
            "fact",
            "triggers.any.1.op",
            "op 'gt' does not fit bool fact 'leak.isolated' (allowed: eq, exists, ne)",
        ),
        (
            "fact",
            "steps.0.when.not.value",
            "'global' is not an allowed value of 'media.attention' "
            "(none, local, regional, national, international)",
        ),
        ("severity", "dimensions.0.bands.1", "bands must increase: S5 >= 1 comes after S4 >= 6"),
        (
            "yaml_syntax",
            "<file>",
            "YAML syntax: while parsing a flow sequence (line 5); expected ',' or ']', but got ':'",
        ),
    ],
)
def test_messages_are_readable(tmp_path: Path, case: str, key: str, message: str) -> None:
    findings = lint_pack(make_pack(tmp_path, case))
    assert message in [f.message for f in findings if f.key == key]


def test_finding_str_is_file_line_key_message() -> None:
    finding = Finding(
        Path("sops/SOP-NAT-FLD-004.yaml"),
        42,
        "steps.3.owner",
        "role 'COI' is not defined in roles",
        "role",
    )
    assert str(finding) == (
        "sops/SOP-NAT-FLD-004.yaml:42: steps.3.owner: role 'COI' is not defined in roles"
    )


def test_every_error_in_a_multi_error_file_is_reported_at_once(tmp_path: Path) -> None:
    findings = lint_pack(make_pack(tmp_path, "multi"))
    assert summary(findings) == [
        (BAD, 3, "version", "schema"),
        (BAD, 16, "steps.0.action_type", "schema"),
        (BAD, 18, "steps.0.deadline", "duration"),
        (BAD, 19, "steps.1.action", "schema"),
        ("SOP-IND-BAD-102.yaml", 9, "applies_to.categories.0", "taxonomy"),
        ("SOP-IND-BAD-102.yaml", 13, "steps.0.action", "reference"),
        ("SOP-IND-BAD-102.yaml", 13, "steps.0.owner", "role"),
        ("SOP-IND-BAD-102.yaml", 15, "steps.1.depends_on", "cycle"),
        ("SOP-IND-BAD-102.yaml", 15, "steps.1.when.field", "fact"),
    ]


def test_errors_in_several_files_are_all_reported(tmp_path: Path) -> None:
    root = make_pack(tmp_path, "role")
    for case in ("severity", "kind", "binary"):
        for path in (BROKEN / case).iterdir():
            shutil.copyfile(path, root / path.name.replace("BAD-101", "BAD-201"))
    files = {f.file.name for f in lint_pack(root)}
    assert files == {BAD, "SOP-IND-BAD-201.yaml", "severity.yaml", "playbook.yaml"}


def test_findings_are_sorted_by_file_then_line(tmp_path: Path) -> None:
    findings = lint_pack(make_pack(tmp_path, "multi"))
    assert findings == sorted(findings, key=lambda f: (str(f.file), f.line, f.key, f.message))


def test_missing_registry_file(tmp_path: Path) -> None:
    root = make_pack(tmp_path)
    (root / "sites.yaml").unlink()
    findings = lint_pack(root)
    assert [(f.file, f.line, f.key, f.code) for f in findings] == [
        (root / "sites.yaml", 1, "<file>", "kind")
    ]


def test_registry_file_without_kind(tmp_path: Path) -> None:
    root = make_pack(tmp_path)
    text = (root / "facts.yaml").read_text(encoding="utf-8")
    (root / "facts.yaml").write_text(text.replace("kind: facts\n", ""), encoding="utf-8")
    assert [(f.file.name, f.key, f.code, f.message) for f in lint_pack(root)] == [
        ("facts.yaml", "kind", "kind", "facts.yaml must declare 'kind: facts'")
    ]


def test_two_files_of_one_kind(tmp_path: Path) -> None:
    root = make_pack(tmp_path)
    shutil.copyfile(root / "sites.yaml", root / "more-sites.yaml")
    assert summary(lint_pack(root)) == [("more-sites.yaml", 2, "kind", "kind")]


def test_missing_directory(tmp_path: Path) -> None:
    assert summary(lint_pack(tmp_path / "nowhere")) == [("nowhere", 1, "<file>", "encoding")]


def test_broken_taxonomy_does_not_hide_other_findings(tmp_path: Path) -> None:
    root = make_pack(tmp_path, "role")
    (root / "taxonomy.yaml").write_text("kind: taxonomy\nversion: 1\n", encoding="utf-8")
    keys = {(f.file.name, f.key) for f in lint_pack(root)}
    assert (BAD, "steps.1.owner") in keys
    assert ("taxonomy.yaml", "families") in keys


# --- lint_paths ---------------------------------------------------------------------------


def test_lint_paths_single_file_uses_its_directory(tmp_path: Path) -> None:
    root = make_pack(tmp_path, "multi")
    findings = lint_paths([root / "SOP-IND-BAD-102.yaml"])
    assert {f.file.name for f in findings} == {"SOP-IND-BAD-102.yaml"}
    assert ("SOP-IND-BAD-102.yaml", 9, "applies_to.categories.0", "taxonomy") in summary(findings)


def test_lint_paths_single_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "lonely.yaml"
    shutil.copyfile(BROKEN / "role" / BAD, path)
    assert summary(lint_paths([path])) == [("lonely.yaml", 14, "steps.1.owner", "role")]


def test_lint_paths_directory_and_missing_path(tmp_path: Path) -> None:
    root = make_pack(tmp_path, "role")
    findings = lint_paths([root, tmp_path / "missing.yaml"])
    assert summary(findings) == [
        ("missing.yaml", 1, "<file>", "encoding"),
        (BAD, 14, "steps.1.owner", "role"),
    ]


# --- CLI ----------------------------------------------------------------------------------


def test_cli_lint_clean_pack() -> None:
    result = CliRunner().invoke(app, ["lint", str(BASE)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 2 SOPs, taxonomy v1.0.0, severity scale v1.0.0")


def test_cli_lint_broken_pack_exits_3(tmp_path: Path) -> None:
    root = make_pack(tmp_path, "role")
    result = CliRunner().invoke(app, ["lint", str(root)])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[0].endswith(f"{BAD}:14: steps.1.owner: role 'DOI' is not defined in roles")
    assert lines[-1] == "1 error(s) in 1 file(s)"


def test_cli_lint_json(tmp_path: Path) -> None:
    root = make_pack(tmp_path, "cycle")
    result = CliRunner().invoke(app, ["lint", "--json", str(root / BAD)])
    assert result.exit_code == 3
    [item] = json.loads(result.output)
    assert item["line"] == 15
    assert item["key"] == "steps.1.depends_on"
    assert item["code"] == "cycle"
    assert item["file"].endswith(BAD)


def test_cli_lint_defaults_to_the_configured_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRISISCELL_SOPS_DIR", str(BASE))
    result = CliRunner().invoke(app, ["lint"])
    assert result.exit_code == 0, result.output
    assert "2 SOPs" in result.output


SELFTEST = PACKS / "selftest"


def test_sops_test_reports_each_failing_phrasing_at_its_line() -> None:
    result = CliRunner().invoke(app, ["test", str(SELFTEST)])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert any(":43: forbidden_actions.0.examples.1: example not caught by F1" in x for x in lines)
    assert any(":46: forbidden_actions.0.allowed.1: allowed phrasing blocked by "
               "SOP-IND-TOX-001/F1" in x for x in lines)
    assert any(":24: steps.1.action: the SOP's own step S04 is blocked" in x for x in lines)
    assert lines[-1] == "3 self-test failure(s) over 3 examples, 3 allowed phrasings, 5 SOP steps"


def test_sops_lint_runs_the_self_tests_too() -> None:
    result = CliRunner().invoke(app, ["lint", str(SELFTEST)])
    assert result.exit_code == 3 and "example not caught by F1" in result.output


def test_the_never_list_is_checked_on_every_text() -> None:
    from agent.guard.pack_guard import guard_for
    from agent.pack.loader import load_pack

    pack = load_pack(SELFTEST)
    hit = guard_for(pack).check("Mute the alarm and carry on")
    assert hit is not None and hit.ref == "never/N1"
