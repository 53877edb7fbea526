"""The don'ts of the hour: the selected SOPs' forbidden actions, said to the operator.

The guard withholds a forbidden step silently from a plan; the people acting on the plan
also need to hear them ("do not direct water at the leak"). Same wording once, first SOP wins.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.domain import Dont
from agent.pack.models import Sop
from agent.text import normalise


def donts(sops: Sequence[Sop]) -> list[Dont]:
    """Every forbidden action of the selected SOPs, in SOP order, duplicates merged."""
    seen: set[str] = set()
    out: list[Dont] = []
    for sop in sops:
        for f in sop.forbidden_actions:
            key = normalise(f.text).strip(" .")
            if key not in seen:
                seen.add(key)
                ref = f"{sop.id}/{f.id}"
                out.append(
                    Dont(sop_id=sop.id, ref=ref, text=f.text, text_fr=f.text_fr, basis=f.basis)
                )
    return out


__all__ = ["donts"]
