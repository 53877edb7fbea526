"""Helpers shared by nodes: the SOP objects behind the state's references."""

from __future__ import annotations

from agent.context import Deps
from agent.pack.models import Sop
from agent.state import State


def selected_sops(state: State, deps: Deps) -> list[Sop]:
    """The selected SOPs, in selection order."""
    return [s for ref in state.sops if (s := deps.pack.sop(ref.id)) is not None]
