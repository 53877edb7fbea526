"""Helpers shared by nodes: the SOPs and the archive as this run's clearance sees them."""

from __future__ import annotations

from agent.context import Deps
from agent.guard.matcher import Guard
from agent.guard.pack_guard import guard_for
from agent.pack.models import Sop
from agent.retrieval import Retriever
from agent.rules.need_to_know import Clearance, visible_sop
from agent.state import State


def clearance(state: State) -> Clearance:
    """The run's clearance."""
    return Clearance.parse(state.clearance)


def selected_sops(state: State, deps: Deps) -> list[Sop]:
    """The selected SOPs, redacted to the run's clearance, in selection order."""
    out: list[Sop] = []
    for ref in state.sops:
        sop = deps.pack.sop(ref.id)
        shown = visible_sop(sop, clearance(state))[0] if sop else None
        if shown is not None:
            out.append(shown)
    return out


def retriever(state: State, deps: Deps) -> Retriever:
    """The archive index this run may search."""
    return deps.retriever_for(clearance(state))


def guard(deps: Deps) -> Guard:
    """Every prohibition of the pack, whatever SOPs this run selected."""
    return guard_for(deps.pack)


def selected_ids(state: State) -> set[str]:
    """The SOPs selected for this run (their ``scope: selected`` patterns apply)."""
    return {ref.id for ref in state.sops}
