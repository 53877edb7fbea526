"""Determinism of offline runs; the committed case files and schema; the CLI and the gate."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.pack.schema import render_schema
from agent.settings import Settings
from agent.store.archive import read_history_dir
from evals.archive_suite import OUTCOME_MIN_AFTER, outcome_update, stale_files
from evals.case import CASE_SCHEMA, CaseInputs, EvalCase, Update, dump_case, load_case
from evals.gate import Check, check, gate_metrics
from evals.runner import RunConfig, run_suite
from evals.suites import EVALS_DIR, load_suite
from evals.summary import summarise
from tests.evals.conftest import make_case, needs_shared

VOLATILE = ("run_id", "created_at", "duration_s", "git_commit", "latency_p50_ms", "latency_p95_ms")


def _stable(suite_name: str, sample: int | None = None) -> tuple[dict[str, Any], list[Any]]:
    suite = load_suite(suite_name).sample(sample)
    run = run_suite(suite, RunConfig(suite=suite_name), Settings(llm="offline"))
    summary = summarise(run.header(), run.results)
    for key in VOLATILE:
        summary.pop(key)
    return summary, [r.deterministic() for r in run.results]


def test_two_offline_archive_runs_are_identical() -> None:
    assert _stable("archive") == _stable("archive")


@needs_shared
@pytest.mark.realdata
@pytest.mark.parametrize("name", ["cloud-postmortems", "crisislex"])
def test_two_offline_real_data_runs_are_identical(name: str) -> None:
    assert _stable(name, 15) == _stable(name, 15)


def test_case_schema_is_fresh() -> None:
    assert (EVALS_DIR / CASE_SCHEMA).read_text("utf-8") == render_schema(EvalCase)


def test_archive_suite_is_fresh_and_covers_every_incident() -> None:
    archive = read_history_dir(Settings().history_dir)
    assert stale_files(archive, EVALS_DIR / "archive") == []
    ids = {i.id for i in archive}
    for path in sorted((EVALS_DIR / "archive").glob("*.yaml")):
        assert path.read_text("utf-8").startswith("# yaml-language-server: $schema=")
        case = load_case(path)
        assert case.metadata.incident_id in ids and case.name not in case.expected.precedents


def test_archive_cases_replay_the_recorded_outcome_as_a_late_hindsight_update() -> None:
    by_id = {i.id: i for i in read_history_dir(Settings().history_dir)}
    for path in sorted((EVALS_DIR / "archive").glob("*.yaml")):
        case = load_case(path)
        incident = by_id[case.name]
        assert case.inputs.text == incident.summary  # T0: the situation only
        assert incident.outcome not in case.inputs.text
        (update,) = case.inputs.updates
        assert update.hindsight and update.text == f"Later: {incident.outcome}"
        timed = [a.at for a in incident.actions if a.at is not None]
        assert update.at == max([OUTCOME_MIN_AFTER, *timed]) >= timedelta(days=1)


def test_outcome_update_opens_in_the_incident_language() -> None:
    incident = next(iter(read_history_dir(Settings().history_dir)))
    french = incident.model_copy(update={"language": "fr", "actions": []})
    update = outcome_update(french)
    assert update.text == f"Plus tard : {incident.outcome}" and update.at == OUTCOME_MIN_AFTER


def test_a_hindsight_update_may_not_precede_a_live_one() -> None:
    late = Update(at=timedelta(hours=1), text="Later: it ended", hindsight=True)
    live = Update(at=timedelta(hours=2), text="The fire spreads")
    with pytest.raises(ValueError, match="hindsight update comes before a live update"):
        CaseInputs(text="A fire", updates=[late, live])
    same_time = CaseInputs(text="A fire", updates=[late, live.model_copy(update={"at": late.at})])
    assert [u.hindsight for u in same_time.ordered_updates()] == [False, True]


def test_case_roundtrip_and_unknown_keys_rejected(tmp_path: Path) -> None:
    case = make_case(category="IND.fire")
    path = tmp_path / "c.yaml"
    path.write_text(dump_case(case))
    assert load_case(path) == case
    path.write_text(dump_case(case).replace("inputs:", "inputz: 1\ninputs:"))
    with pytest.raises(Exception, match="inputz"):
        load_case(path)


def test_cli_run_json_on_a_case_directory(tmp_path: Path) -> None:
    suite = tmp_path / "mini"
    suite.mkdir()
    for name, text in (("a", "Thick black smoke, the warehouse is on fire"), ("b", "River flood")):
        case = make_case(category="IND.fire").model_copy(update={"name": name})
        case = case.model_copy(update={"inputs": case.inputs.model_copy(update={"text": text})})
        (suite / f"{name}.yaml").write_text(dump_case(case))
    out = CliRunner().invoke(app, ["eval", "run", str(suite), "--json", "--concurrency", "2"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    for key in (
        "run_id",
        "cases",
        "category_family_accuracy",
        "category_subtype_accuracy",
        "precedent_recall_at_5",
        "action_coverage",
        "sop_compliance_rate",
        "forbidden_action_rate",
        "degraded_rate",
        "latency_p50_ms",
    ):
        assert key in summary
    assert summary["cases"] == 2 and summary["category_subtype_accuracy"] == 0.5
    listed = CliRunner().invoke(app, ["eval", "list"])
    assert summary["run_id"] in listed.output


def test_cli_unknown_suite_is_a_clean_error() -> None:
    out = CliRunner().invoke(app, ["eval", "run", "no-such-suite"])
    assert out.exit_code == 3 and "unknown suite" in out.output


def _base(**metrics: Any) -> dict[str, Any]:
    summary = {
        "cases": 10,
        "category_subtype_accuracy": 0.5,
        "sop_compliance_rate": 1.0,
        "forbidden_action_rate": 0.0,
        "error_rate": 0.0,
        "score": 50.0,
    }
    return gate_metrics({**summary, **metrics})


def test_gate_checks() -> None:
    baseline = {"suites": {"s": _base()}}
    assert all(c.ok for c in check({"s": _base()}, baseline))
    assert all(c.ok for c in check({"s": _base(category_subtype_accuracy=0.49)}, baseline))
    failed = [c for c in check({"s": _base(category_subtype_accuracy=0.45)}, baseline) if not c.ok]
    assert [c.metric for c in failed] == ["category_subtype_accuracy"]
    broken = check({"s": _base(sop_compliance_rate=0.99, forbidden_action_rate=0.1)}, baseline)
    assert {c.metric for c in broken if not c.ok} == {
        "sop_compliance_rate",
        "forbidden_action_rate",
    }
    new = check({"t": _base()}, baseline)
    assert new == [Check("t", "*", None, None, True, "not in the baseline (not gated)")]


def test_cli_gate_and_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    runner = CliRunner()
    out = runner.invoke(app, ["eval", "baseline", "--baseline", str(path), "--suite", "archive"])
    assert out.exit_code == 0, out.output
    assert (
        runner.invoke(
            app, ["eval", "gate", "--baseline", str(path), "--suite", "archive"]
        ).exit_code
        == 0
    )
    data = json.loads(path.read_text())
    data["suites"]["archive"]["category_family_accuracy"] += 0.1
    path.write_text(json.dumps(data))
    out = runner.invoke(app, ["eval", "gate", "--baseline", str(path), "--suite", "archive"])
    assert out.exit_code == 1 and "FAIL" in out.output
