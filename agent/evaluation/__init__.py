"""Replay past crises as evaluation cases: case model, suites, runner, metrics, reports.

Layout::

    case.py        the YAML case model (name, inputs, expected, metadata) and its loader
    suites.py      named suites: a directory of case YAMLs or a registered importer
    importers/     real-data suites read from ../shared/data at run time (never shipped)
    archive_suite.py  build evals/archive/ from history/incidents (leave-one-out)
    runner.py      replay each case through the real graph, step by step
    matching.py    taken action <-> suggested step matching (rapidfuzz)
    evaluators.py  small dataclasses, ``evaluate(ctx) -> bool | float | None``
    stats.py       Wilson and bootstrap intervals, percentiles
    summary.py     per-run aggregation with intervals and repeat variance
    compare.py     per-metric deltas between two runs and the cases that flipped
    report.py      run JSON + Markdown report under the runs directory
    store.py       SQL tables of eval runs and per-case results
    gate.py        the CI gate against evals/baseline.json
"""
