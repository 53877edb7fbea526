"""An approved SOP is never changed in place: an edit is a new version, approved by another.

The library's editor writes SOP files a crisis cell will follow. Once a version is
approved, what it said must stay findable (lineage records the version and hash that
produced each plan), and a change needs the same four eyes as the first approval. So a
save over an approved SOP must raise its version; a new version saved as ``approved``
names an approver who is not its author; the text it replaces is kept beside the
database (:func:`keep_previous`).
"""

from __future__ import annotations

from pathlib import Path

from agent.pack.models import Sop


def version_key(version: str) -> tuple[int, ...]:
    """``1.2.10`` as ``(1, 2, 10)``, so versions compare as numbers."""
    return tuple(int(part) for part in version.split("."))


def revision_problem(old: Sop | None, new: Sop, author: str) -> str | None:
    """Why ``new`` may not replace ``old`` when ``author`` saves it; None when it may."""
    if old is None or new == old:
        return None  # a new file, or nothing changed
    if new.id != old.id:
        return f"the SOP id cannot change ({old.id} -> {new.id}): save a new file instead"
    if old.status != "approved":
        return None
    if version_key(new.version) <= version_key(old.version):
        return (
            f"{old.id} v{old.version} is approved and is never changed in place: "
            f"raise its version (above {old.version})"
        )
    if new.status == "approved" and _same_person(new.approved_by, author):
        return (
            f"a new approved version of {old.id} needs an approver other than its author "
            f"({author}): set approved_by, or save it as a draft"
        )
    return None


def _same_person(approver: str | None, author: str) -> bool:
    return not approver or approver.strip().casefold() == author.strip().casefold()


def keep_previous(old_text: str, old: Sop, home: Path) -> Path:
    """Keep the replaced version's exact text: ``<home>/sop_history/<id>@<version>.yaml``."""
    folder = home / "sop_history"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{old.id}@{old.version}.yaml"
    if not target.exists():
        target.write_text(old_text, "utf-8")
    return target


__all__ = ["keep_previous", "revision_problem", "version_key"]
