"""One list of nodes: the graph's. Labels, progress and the compiled graphs follow it."""

from __future__ import annotations

from agent.crisis.streaming import NODE_LABELS as STREAMED_LABELS
from agent.graph import NODE_LABELS, NODES, PIPELINE, RUN_STEPS, build_crisis_graph, build_graph
from ui.live.progress import PIPELINE_STEPS


def test_every_node_has_one_label_from_one_place() -> None:
    assert STREAMED_LABELS is NODE_LABELS
    assert set(NODES) <= set(NODE_LABELS)
    assert set(NODE_LABELS) - set(NODES) == {"apply_decision"}


def test_the_compiled_graphs_hold_exactly_the_registered_nodes() -> None:
    one_shot = set(build_graph().get_graph().nodes) - {"__start__", "__end__"}
    assert one_shot == set(NODES)
    crisis = set(build_crisis_graph().get_graph().nodes) - {"__start__", "__end__"}
    assert crisis == set(NODES) | {"await_decision", "apply_decision"}


def test_the_progress_bar_counts_the_nodes_every_run_passes() -> None:
    assert set(PIPELINE) <= set(RUN_STEPS) <= set(NODES)
    assert PIPELINE_STEPS == len(RUN_STEPS) == len(NODES) - 1  # all but repair
