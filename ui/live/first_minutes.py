"""The first ten minutes, above all else: who leaves or stays, how far, what first, what never.

In that order: the life-safety decision, the ERG distances (hazmat only), the priorities
time boxes, the don'ts of the hour. The scenarios and their full plans follow.
"""

from __future__ import annotations

from agent.crisis.service import CrisisResult
from agent.domain import Suggestion
from ui.live.donts import donts
from ui.live.erg import erg_distances
from ui.live.life_safety import life_safety
from ui.live.priorities import lead_scenario, priorities


def first_minutes(result: CrisisResult, s: Suggestion) -> None:
    """What the cell reads first, each part only when the suggestion has it."""
    life_safety(s)
    erg_distances(s)
    lead = lead_scenario(result, s)
    if lead is not None:
        priorities(result.crisis.id, lead, s)
    donts(s)
