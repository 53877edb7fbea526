"""Write a run under the runs directory: ``summary.json``, ``cases.jsonl`` and ``report.md``.

The Markdown report lists every metric with its 95 % interval, the per-case
results, and the matched action pairs so a person can audit the matching.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.evaluators import HEADLINE
from evals.matching import MATCH_THRESHOLD
from evals.results import CaseResult

PERCENT = {m for m in HEADLINE if m != "score"}


def runs_dir(home: Path) -> Path:
    """Where runs are written: ``<home>/evals``."""
    return home / "evals"


def fmt(metric: str, value: Any) -> str:
    """A metric value for people: percentages for rates, ``-`` for not applicable."""
    if value is None:
        return "-"
    if metric in PERCENT:
        return f"{100 * float(value):.1f} %"
    return f"{float(value):.1f}"


def write_run(out: Path, summary: dict[str, Any], results: Sequence[CaseResult]) -> Path:
    """Write the three files of a run into ``out/<run_id>/``; return that directory."""
    folder = out / str(summary["run_id"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    lines = [r.model_dump_json() for r in results]
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "report.md").write_text(render_markdown(summary, results), "utf-8")
    return folder


def read_run_dir(folder: Path) -> tuple[dict[str, Any], list[CaseResult]]:
    """A run written by :func:`write_run`."""
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    text = (folder / "cases.jsonl").read_text("utf-8")
    return summary, [CaseResult.model_validate_json(x) for x in text.splitlines() if x.strip()]


def metrics_table(summary: dict[str, Any]) -> list[str]:
    """Markdown rows: metric, value, 95 % interval, n (and std over repeats)."""
    rows = ["| metric | value | 95 % CI | n | std over repeats |", "|---|---|---|---|---|"]
    variance = summary.get("variance") or {}
    for metric, est in summary["intervals"].items():
        ci = f"{fmt(metric, est['low'])} - {fmt(metric, est['high'])}" if est["n"] else "-"
        std = variance.get(metric)
        rows.append(
            f"| {metric} | {fmt(metric, est['value'])} | {ci} | {est['n']} | "
            f"{'-' if std is None else fmt(metric, std)} |"
        )
    for key in ("latency_p50_ms", "latency_p95_ms", "tokens_total", "cost_usd_total"):
        rows.append(f"| {key} | {summary.get(key)} | | {summary.get('suggestions')} | |")
    return rows


def _case_rows(results: Sequence[CaseResult]) -> list[str]:
    rows = [
        "| case | expected | final | precedents hit | coverage | score |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.repeat:
            continue
        m = r.metrics
        rows.append(
            f"| {r.name} | {r.expected_category or '-'} | {r.final.category or r.final.error} | "
            f"{fmt('precedent_hit_at_5', m.get('precedent_hit_at_5'))} | "
            f"{fmt('action_coverage', m.get('action_coverage'))} | {r.score:.0f} |"
        )
    return rows


def _pair_rows(results: Sequence[CaseResult]) -> list[str]:
    rows = [
        f"Threshold {MATCH_THRESHOLD:.0f}; the best suggested step of the same type is shown.",
        "",
        "| case | taken (type) | best suggested step (type) | similarity | covered |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        for p in r.pairs if r.repeat == 0 else []:
            rows.append(
                f"| {r.name} | {_cell(p.taken)} ({p.taken_type or 'any'}) | "
                f"{_cell(p.suggested or '-')} ({p.suggested_type or '-'}) | {p.score:.1f} | "
                f"{'yes' if p.matched else 'no'} |"
            )
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")[:160]


def render_markdown(summary: dict[str, Any], results: Sequence[CaseResult]) -> str:
    """The whole report."""
    head = [
        f"# Eval run {summary['run_id']}",
        "",
        f"- suite: **{summary['suite']}** ({summary['cases']} cases, "
        f"{summary['repeats']} repeat(s), source `{summary['source']}`)",
        f"- model: `{summary['model']}`; code {summary['code_version']} "
        f"@ {summary['git_commit']}; created {summary['created_at']}",
        f"- config: `{json.dumps(summary['config'])}`",
        f"- score distribution (100/65/35/0): {summary['score_distribution']}",
        "",
        "## Metrics",
        "",
    ]
    forbidden = [f"- {r.name}: {p.suggested}" for r in results for p in r.forbidden_hits]
    body = [
        *metrics_table(summary),
        "",
        "## Cases",
        "",
        *_case_rows(results),
        "",
        "## Forbidden actions suggested",
        "",
        *(forbidden or ["None."]),
        "",
        "## Action matching (audit)",
        "",
        *_pair_rows(results),
        "",
    ]
    return "\n".join(head + body)
