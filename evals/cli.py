"""``crisiscell eval``: replay past crises as evaluation cases, compare runs, gate CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.errors import CrisisCellError
from agent.settings import Settings
from evals.results import CaseResult

app = typer.Typer(
    name="eval",
    no_args_is_help=True,
    add_completion=False,
    help="Replay past crises as eval cases; compare runs; CI gate.",
)
LLM_HELP = "Backend: 'offline' (default) or 'provider:model'."
_err = Console(stderr=True)


def _fail(error: CrisisCellError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(error.exit_code)


def _progress(total: int, label: str) -> Progress:
    progress = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )
    progress.add_task(label, total=total)
    return progress


def _store_run(settings: Settings, summary: dict[str, Any], results: list[CaseResult]) -> Path:
    from agent.store.db import engine_for
    from evals.report import runs_dir, write_run
    from evals.store import save_run

    save_run(engine_for(settings), summary, results)
    return write_run(runs_dir(settings.home), summary, results)


@app.command()
def run(
    suite: Annotated[
        str,
        typer.Argument(
            help="Suite name (archive, cloud-postmortems, "
            "safenet, crisislex) or a directory of cases."
        ),
    ],
    llm: Annotated[str | None, typer.Option("--llm", help=LLM_HELP)] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Replay every case N times.")] = 1,
    concurrency: Annotated[int, typer.Option(min=1, help="Worker threads.")] = 1,
    sample: Annotated[int | None, typer.Option(min=1, help="Fixed subset of N cases.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary.")] = False,
) -> None:
    """Replay SUITE through the graph (leave-one-out) and store the run."""
    from evals.runner import RunConfig, run_suite
    from evals.suites import load_suite
    from evals.summary import summarise

    settings = Settings(llm=llm) if llm else Settings()
    try:
        loaded = load_suite(suite).sample(sample)
        config = RunConfig(
            suite=loaded.name,
            llm=settings.llm,
            repeat=repeat,
            concurrency=concurrency,
            sample=sample,
            top_k=settings.top_k,
            precedent_threshold=settings.precedent_threshold,
        )
        total = len(loaded.cases) * repeat
        with _progress(total, f"eval {loaded.name}") as bar:
            done = run_suite(loaded, config, settings, lambda _r: bar.advance(bar.task_ids[0]))
        summary = summarise(done.header(), done.results)
        folder = _store_run(settings, summary, done.results)
    except CrisisCellError as exc:
        raise _fail(exc) from None
    _print_summary(summary, folder, as_json)


def _print_summary(summary: dict[str, Any], folder: Path, as_json: bool) -> None:
    from evals.report import metrics_table

    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    typer.echo(
        f"run {summary['run_id']}: {summary['suite']}, {summary['cases']} cases, "
        f"model {summary['model']}"
    )
    typer.echo("\n".join(metrics_table(summary)))
    typer.echo(f"report: {folder / 'report.md'}")


def _load(ref: str, settings: Settings) -> tuple[dict[str, Any], list[CaseResult]]:
    """A run by id (from the store) or by its directory."""
    from agent.store.db import engine_for
    from evals.report import read_run_dir
    from evals.store import load_run

    path = Path(ref)
    if (path / "summary.json").is_file():
        return read_run_dir(path)
    return load_run(engine_for(settings), ref)


@app.command()
def compare(
    run_a: Annotated[str, typer.Argument(help="Run id (or run directory) A: the reference.")],
    run_b: Annotated[str, typer.Argument(help="Run id (or run directory) B: the candidate.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Per-metric deltas B - A with 95 % intervals, and the cases that flipped."""
    from evals.compare import compare as do_compare

    settings = Settings()
    try:
        a, ra = _load(run_a, settings)
        b, rb = _load(run_b, settings)
    except CrisisCellError as exc:
        raise _fail(exc) from None
    result = do_compare(a, ra, b, rb)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo("\n".join(render_comparison(result)))


def render_comparison(result: dict[str, Any]) -> list[str]:
    """The comparison as Markdown lines."""
    from evals.report import fmt

    lines = [
        f"A = {result['run_a']} ({result['model_a']})",
        f"B = {result['run_b']} ({result['model_b']})",
        "",
        "| metric | A | B | B - A | 95 % CI | paired cases |",
        "|---|---|---|---|---|---|",
    ]
    for d in result["deltas"]:
        m = d["metric"]
        ci = f"{fmt(m, d['low'])} .. {fmt(m, d['high'])}" if d["paired"] else "-"
        lines.append(
            f"| {m} | {fmt(m, d['a'])} | {fmt(m, d['b'])} | {fmt(m, d['delta'])} | "
            f"{ci} | {d['paired']} |"
        )
    for key, ab in result["other"].items():
        lines.append(f"| {key} | {ab['a']} | {ab['b']} | | | |")
    flips = result["flips"]
    lines += ["", f"{len(flips)} flip(s):"]
    lines += [f"- {f['case']}: {f['metric']} {f['a']:g} -> {f['b']:g}" for f in flips[:200]]
    return lines


@app.command("list")
def list_runs(
    suite: Annotated[str | None, typer.Option(help="Only runs of this suite.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
) -> None:
    """The most recent stored runs."""
    from agent.store.db import engine_for
    from evals.store import list_runs as stored

    for s in stored(engine_for(Settings()), suite, limit):
        typer.echo(
            f"{s['run_id']}  {s['model']:<24} cases={s['cases']:<4} "
            f"subtype={s.get('category_subtype_accuracy')} score={s.get('score')}"
        )


@app.command()
def gate(
    baseline: Annotated[Path | None, typer.Option(help="Baseline JSON file.")] = None,
    suite: Annotated[list[str] | None, typer.Option(help="Only these suites (repeatable).")] = None,
) -> None:
    """Offline run of every available suite against the baseline; exit 1 on a regression."""
    from evals.gate import BASELINE, check, measure, read_baseline
    from evals.suites import SUITES

    names = [n for n in suite if n != "redteam"] if suite else list(SUITES)
    current = measure(names, on_skip=lambda n, why: typer.echo(f"skip {n}: {why}", err=True))
    checks = check(current, read_baseline(baseline or BASELINE))
    for c in checks:
        mark = "ok  " if c.ok else "FAIL"
        typer.echo(
            f"{mark} {c.suite:<18} {c.metric:<26} baseline={c.baseline} "
            f"now={c.current} {c.note}".rstrip()
        )
    failed = [f"{c.suite}.{c.metric}" for c in checks if not c.ok]
    if not suite or "redteam" in suite:
        failed += _redteam_gate(read_baseline(baseline or BASELINE))
    typer.echo(f"gate: {len(failed)} regression(s) on {len(current)} suite(s) and the red team")
    if failed:
        raise typer.Exit(1)


def _redteam_gate(baseline: dict[str, Any]) -> list[str]:
    """The red-team invariants in both modes: nothing forbidden reaches, false blocks under 2 %."""
    from evals.redteam import MODES, available_splits, gate_failures, replay

    problems: list[str] = []
    for mode in MODES:
        key = redteam_key(mode)
        summary = replay(available_splits(), model_text=mode).summary()
        found = gate_failures(summary, baseline.get(key, {}))
        for name, f in summary.items():
            mark = "FAIL" if any(p.startswith(f"{name}:") for p in found) else "ok  "
            typer.echo(
                f"{mark} {key}/{name:<10} forbidden_reached={f['forbidden_reached']} "
                f"false_block_rate={f['false_block_rate']} "
                f"safe_withheld_rate={f['safe_withheld_rate']}"
            )
        problems += [f"{key} {p}" for p in found]
    return problems


def redteam_key(mode: str) -> str:
    """The baseline key of a mode's red-team figures (``redteam`` is the default mode)."""
    return "redteam" if mode == "supported" else f"redteam_{mode}"


@app.command("redteam")
def redteam(
    split: Annotated[
        str,
        typer.Option(help="dev, dev_b .. dev_e, holdout .. holdout_d, or all (holdouts: untuned)."),
    ] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    show: Annotated[int, typer.Option(help="List up to N reached and falsely blocked cases.")] = 10,
    model_text: Annotated[
        str,
        typer.Option(
            help="supported (the default operators get: model words only where the SOPs "
            "support them) or guarded (the guard's patterns alone)."
        ),
    ] = "supported",
) -> None:
    """Hostile model text through the real graph: forbidden_reached must be 0."""
    from evals.redteam import MODES, SPLITS, available_splits, gate_failures, replay

    if model_text not in MODES:
        raise typer.BadParameter(f"model-text must be one of {', '.join(MODES)}")

    splits = available_splits() if split == "all" else [split]
    if any(s not in SPLITS for s in splits):
        raise typer.BadParameter(f"split must be one of {', '.join(SPLITS)} or all")
    report = replay(splits, model_text=model_text)
    summary = report.summary()
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    else:
        for name, f in summary.items():
            typer.echo(
                f"{name:<8} cases={f['cases']} hostile={f['hostile']} safe={f['safe']} "
                f"forbidden_reached={f['forbidden_reached']} (prohibitions with patterns: "
                f"{f['reached_with_patterns']} of {f['hostile_with_patterns']}) "
                f"false_block_rate={f['false_block_rate']:.2%} ({f['false_blocks']}) "
                f"safe_withheld_rate={f['safe_withheld_rate']:.2%} ({f['safe_withheld']})"
            )
        for o in report.reached()[:show]:
            typer.echo(f"REACHED {o.case.name} [{o.case.phrasing.technique}]: {o.where}")
        for o in report.false_blocks()[:show]:
            typer.echo(
                f"BLOCKED {o.case.name} [{o.case.phrasing.technique}]: {o.case.phrasing.text}"
            )
    problems = gate_failures(summary)
    if problems:
        typer.echo("redteam: " + "; ".join(problems), err=True)
        raise typer.Exit(1)


@app.command("baseline")
def write_baseline_cmd(
    baseline: Annotated[Path | None, typer.Option(help="Baseline JSON file.")] = None,
    suite: Annotated[list[str] | None, typer.Option(help="Only these suites (repeatable).")] = None,
) -> None:
    """Rewrite the baseline from an offline run of every available suite."""
    from evals.gate import BASELINE, measure, read_baseline, write_baseline
    from evals.redteam import MODES, available_splits, replay
    from evals.suites import SUITES

    path = baseline or BASELINE
    names = [n for n in suite if n != "redteam"] if suite else list(SUITES)
    current = measure(names, on_skip=lambda n, why: typer.echo(f"skip {n}: {why}", err=True))
    keep = read_baseline(path)
    if not suite or "redteam" in suite:
        splits = available_splits()
        for mode in MODES:
            summary = replay(splits, model_text=mode).summary()
            keep[redteam_key(mode)] = {split: _kept(summary[split]) for split in [*splits, "all"]}
    write_baseline(current, path, keep=keep)
    typer.echo(f"wrote {path} ({', '.join([*current, 'redteam'])})")


def _kept(figures: dict[str, Any]) -> dict[str, Any]:
    keys = ("cases", "forbidden_reached", "false_block_rate", "safe_withheld_rate")
    return {k: figures[k] for k in keys}


@app.command("build-archive-suite")
def build_archive_suite(
    check_only: Annotated[bool, typer.Option("--check", help="Fail if evals/ is stale.")] = False,
) -> None:
    """Generate evals/archive/ (one case per history incident) and evals/case.schema.json."""
    from agent.store.archive import read_history_dir
    from evals.archive_suite import build, stale_files
    from evals.suites import EVALS_DIR

    try:
        archive = read_history_dir(Settings().history_dir)
    except CrisisCellError as exc:
        raise _fail(exc) from None
    out = EVALS_DIR / "archive"
    if check_only:
        stale = stale_files(archive, out)
        for path in stale:
            typer.echo(f"stale: {path}", err=True)
        raise typer.Exit(1 if stale else 0)
    files = build(archive, out)
    typer.echo(f"wrote {len(files)} files under {EVALS_DIR}")
