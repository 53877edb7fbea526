"""Runs stored in SQL and on disk; compare on two stored runs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from agent.cli import app
from agent.store.db import applied_migrations, init_db, make_engine
from evals.compare import compare
from evals.report import read_run_dir, write_run
from evals.results import CaseResult, score_case
from evals.store import list_runs, load_run, save_run
from evals.summary import summarise
from tests.evals.conftest import ctx_of, make_case, make_suggestion


def _results(codes: list[str]) -> list[CaseResult]:
    out = []
    for i, code in enumerate(codes):
        case = make_case(category="IND.fire", precedents=["P"]).model_copy(update={"name": f"C{i}"})
        out.append(score_case(ctx_of(case, make_suggestion(code, precedents=("P",)))))
    return out


def _summary(run_id: str, results: list[CaseResult], model: str) -> dict[str, object]:
    header = {
        "run_id": run_id,
        "suite": "hand",
        "created_at": "2024-01-01T00:00:00+00:00",
        "model": model,
        "code_version": "0",
        "git_commit": "x",
        "source": "t",
        "config": {"suite": "hand"},
        "sampled_from": None,
        "duration_s": 0.1,
    }
    return summarise(header, results)


def test_compare_two_stored_runs() -> None:
    engine = make_engine("sqlite://")
    init_db(engine)
    assert "m003_eval_runs" in applied_migrations(engine)
    ra, rb = (
        _results(["IND.fire", "IND.fire", "NAT.flood"]),
        _results(["IND.fire", "NAT.flood", "NAT.flood"]),
    )
    save_run(engine, _summary("A", ra, "offline"), ra)
    save_run(engine, _summary("B", rb, "x:y"), rb)
    a, la = load_run(engine, "A")
    b, lb = load_run(engine, "B")
    assert la == ra and lb == rb
    assert len(list_runs(engine)) == 2
    result = compare(a, la, b, lb)
    subtype = next(d for d in result["deltas"] if d["metric"] == "category_subtype_accuracy")
    assert subtype["a"] == round(2 / 3, 4) and subtype["b"] == round(1 / 3, 4)
    assert subtype["delta"] == round(-1 / 3, 4) and subtype["paired"] == 3
    assert subtype["low"] <= subtype["delta"] <= subtype["high"]
    flipped = {(f["case"], f["metric"]) for f in result["flips"]}
    assert ("C1", "category_subtype_accuracy") in flipped
    assert not any(case in ("C0", "C2") for case, _ in flipped)


def test_run_directory_roundtrip_and_cli_compare(tmp_path: Path) -> None:
    ra, rb = _results(["IND.fire", "IND.fire"]), _results(["IND.fire", "NAT.flood"])
    da = write_run(tmp_path, _summary("A", ra, "offline"), ra)
    db = write_run(tmp_path, _summary("B", rb, "offline"), rb)
    assert read_run_dir(da)[1] == ra
    assert "## Action matching (audit)" in (da / "report.md").read_text()
    out = CliRunner().invoke(app, ["eval", "compare", str(da), str(db), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["run_a"] == "A" and any(f["case"] == "C1" for f in data["flips"])
    text = CliRunner().invoke(app, ["eval", "compare", str(da), str(db)])
    assert "category_subtype_accuracy" in text.output and "flip(s)" in text.output


def test_unknown_run_is_a_clean_error() -> None:
    out = CliRunner().invoke(app, ["eval", "compare", "nope", "nope2"])
    assert out.exit_code != 0 and "no eval run" in out.output
