"""The evaluation package: replay past crises as cases, score them, compare runs, gate CI.

It sits on top of ``agent`` (it imports ``agent``; ``agent`` never imports it) and
holds both the code and its data: ``archive/`` (cases built from the history),
``redteam/*.yaml`` (hostile phrasings), ``baseline.json`` (the gate's figures) and
``case.schema.json``. Layout::

    case.py        the YAML case model (name, inputs, expected, metadata) and its loader
    suite.py       a suite (cases + extra incidents) and a directory of case YAMLs
    suites.py      named suites: a directory of case YAMLs or a registered importer
    importers/     real-data suites read from ../shared/data at run time (never shipped)
    archive_suite.py  build evals/archive/ from history/incidents (leave-one-out)
    runner.py      replay each case through the real graph, step by step
    matching.py    taken action <-> suggested step matching (rapidfuzz)
    evaluators.py  the metric registry: ``evaluate(ctx) -> bool | float | None``
    stats.py       Wilson and bootstrap intervals, percentiles
    summary.py     per-run aggregation with intervals and repeat variance
    compare.py     per-metric deltas between two runs and the cases that flipped
    report.py      run JSON + Markdown report under the runs directory
    store.py       SQL tables of eval runs and per-case results (registered with the store)
    gate.py        the CI gate against evals/baseline.json
    redteam.py     hostile model text through the real graph (evals/redteam/*.yaml)
    understanding.py  the understanding corpus (tests/data/understanding)
    cli.py         ``crisiscell eval ...``, mounted by ``agent.cli`` when installed
"""

from __future__ import annotations

from pathlib import Path

EVALS_DIR = Path(__file__).resolve().parent
"""This package's folder, which also holds the data: suites, red team, baseline, schema."""
