"""Need-to-know: what a clearance may see, applied before anything reaches a prompt or a page.

Markings are ordered public < internal < restricted < secret; compartments must
all be held. Hidden records are counted, never described.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.domain import Incident
from agent.errors import NotVisible
from agent.pack.models import Marking, Sop, Step

MARKING_ORDER: tuple[Marking, ...] = ("public", "internal", "restricted", "secret")


@dataclass(frozen=True)
class Clearance:
    """An operator's marking level and the compartments they are read into."""

    level: Marking = "internal"
    compartments: frozenset[str] = frozenset()

    def allows(self, marking: str, compartments: Sequence[str] = ()) -> bool:
        """True when a record with this marking and these compartments may be shown."""
        if marking not in MARKING_ORDER or self.level not in MARKING_ORDER:
            return False
        if MARKING_ORDER.index(marking) > MARKING_ORDER.index(self.level):
            return False
        return set(compartments) <= self.compartments

    @classmethod
    def parse(cls, text: str) -> Clearance:
        """``internal`` or ``restricted:ops,legal`` (level, then compartments)."""
        level, _, rest = text.strip().partition(":")
        level = level or "internal"
        if level not in MARKING_ORDER:
            raise ValueError(f"unknown clearance '{level}' (one of {', '.join(MARKING_ORDER)})")
        comps = frozenset(c.strip() for c in rest.split(",") if c.strip())
        return cls(level, comps)

    def __str__(self) -> str:
        return self.level + (":" + ",".join(sorted(self.compartments)) if self.compartments else "")


def require_visible(
    clearance: Clearance, marking: str, compartments: Sequence[str], what: str
) -> None:
    """The one gate every read path goes through: raise unless this clearance may see it.

    Raises:
        NotVisible: the record is above ``clearance``; the message names only ``what``.
    """
    if not clearance.allows(marking, compartments):
        raise NotVisible(f"{what} is not visible at clearance {clearance}")


def require_found(
    clearance: Clearance, marking: tuple[str, Sequence[str]] | None, what: str
) -> None:
    """The gate for a record asked for by id (``marking`` None: there is no such record).

    A missing record is refused exactly like a hidden one (same error, same message),
    so the answer never says whether an id the caller may not see exists.
    """
    level, compartments = marking or ("", ())  # no clearance allows an empty marking
    require_visible(clearance, level, compartments, what)


def marking_of(clearance_text: str) -> tuple[Marking, list[str]]:
    """The marking and compartments a record created at this clearance carries."""
    held = Clearance.parse(clearance_text)
    return held.level, sorted(held.compartments)


def visible_incidents(incidents: Sequence[Incident], clearance: Clearance) -> list[Incident]:
    """The incidents this clearance may see."""
    return [i for i in incidents if clearance.allows(i.marking, i.compartments)]


def visible_sop(sop: Sop, clearance: Clearance) -> tuple[Sop | None, int]:
    """The SOP as this clearance may see it (hidden steps removed), and how many steps were hidden.

    References to a hidden step (``depends_on``, ``on_failure``, ``step:`` anchors) are
    dropped too, so the redacted SOP stays consistent for planning and checking.
    """
    if not clearance.allows(sop.marking, sop.compartments):
        return None, len(sop.steps)
    shown = [s for s in sop.steps if clearance.allows(s.marking, s.compartments)]
    hidden = {s.id for s in sop.steps} - {s.id for s in shown}
    if not hidden:
        return sop, 0
    if not shown:
        return None, len(hidden)
    steps = [_unlink(step, hidden) for step in shown]
    return sop.model_copy(update={"steps": steps}), len(hidden)


def _unlink(step: Step, hidden: set[str]) -> Step:
    update: dict[str, object] = {"depends_on": [d for d in step.depends_on if d not in hidden]}
    if step.on_failure in hidden:
        update["on_failure"] = None
    if step.anchor.startswith("step:") and step.anchor[5:] in hidden:
        update["anchor"] = "T0"
    return step.model_copy(update=update)
