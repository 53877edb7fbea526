"""Evaluations: stored eval runs, their metrics and per-case results, and run comparisons."""

from __future__ import annotations

import streamlit as st

from agent.errors import CrisisCellError
from ui import backend, views
from ui.deep_link import through_frame
from ui.state import StateKeys

through_frame()

st.title("Evaluations")
st.caption(
    "Past crises replayed through the pipeline: does it categorise, find precedents and "
    "propose SOP-compliant actions like the people who handled them?"
)

try:
    from evals.compare import compare
    from evals.store import list_runs, load_run
except ImportError:  # the evaluation package is optional in a trimmed install
    st.info("Evaluations are not available in this installation.")
    st.stop()

try:
    runs = backend.eval_runs(list_runs)
except CrisisCellError as exc:
    st.error(str(exc))
    st.stop()

if not runs:
    st.info(
        "**No evaluation runs yet.** Run one from a terminal, then reload this page:\n\n"
        "```\ncrisiscell eval run archive\n```",
        icon=":material/science:",
    )
    st.stop()

st.dataframe(
    views.runs_frame(runs),
    hide_index=True,
    width="stretch",
    column_config={
        c: st.column_config.ProgressColumn(c, min_value=0.0, max_value=1.0, format="percent")
        for c in ("Category (family)", "Precedent hit@5", "SOP compliance", "Forbidden")
    },
)

ids = [r["run_id"] for r in runs]
labels = {r["run_id"]: f"{r['run_id']} · {r.get('suite')} · {r.get('model')}" for r in runs}
run_id = st.selectbox("Run", ids, key=StateKeys.EVAL_RUN, format_func=lambda i: labels[i])
summary, results = backend.eval_run(load_run, run_id)

cols = st.columns(4)
for col, (metric, name) in zip(
    cols,
    [
        ("category_family_accuracy", "Category (family)"),
        ("precedent_hit_at_5", "Precedent hit@5"),
        ("sop_compliance_rate", "SOP compliance"),
        ("forbidden_action_rate", "Forbidden actions"),
    ],
    strict=True,
):
    value = summary.get(metric)
    col.metric(name, "-" if value is None else f"{value:.0%}")

metrics_tab, cases_tab, compare_tab = st.tabs(["Metrics", "Cases", "Compare two runs"])
with metrics_tab:
    st.dataframe(views.metrics_frame(summary), hide_index=True, width="stretch")
    st.caption(
        f"latency p50 {summary.get('latency_p50_ms')} ms · p95 "
        f"{summary.get('latency_p95_ms')} ms · tokens {summary.get('tokens_total')} · "
        f"cost {summary.get('cost_usd_total')} USD"
    )
with cases_tab:
    st.dataframe(views.cases_frame(results), hide_index=True, width="stretch")
with compare_tab:
    others = [i for i in ids if i != run_id]
    if not others:
        st.info("Only one run is stored: run another (e.g. with `--llm`) to compare.")
    else:
        other = st.selectbox(
            "Compare with (B)", others, key=StateKeys.EVAL_RUN_B, format_func=lambda i: labels[i]
        )
        summary_b, results_b = backend.eval_run(load_run, other)
        diff = compare(summary, results, summary_b, results_b)
        st.markdown(f"**A** {diff['model_a']} → **B** {diff['model_b']}")
        st.altair_chart(views.deltas_chart(diff["deltas"]), width="stretch")
        if diff["flips"]:
            st.markdown("**Cases that changed**")
            st.dataframe(diff["flips"], hide_index=True, width="stretch")
