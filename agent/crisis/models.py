"""Decisions an operator takes on a crisis thread: the domain's models, named here too.

:class:`Decision` and :class:`Approval` live in :mod:`agent.domain` (the graph's state
carries them); this module keeps their old import path, which checkpoints written before
the move also name.
"""

from __future__ import annotations

from agent.domain import Approval, Decision, DecisionKind

__all__ = ["Approval", "Decision", "DecisionKind"]
