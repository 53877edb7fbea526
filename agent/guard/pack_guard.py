"""The guard of a loaded pack, built once per pack.

Compiling every prohibition of a pack is the expensive part of the guard, so it
is done on first use and kept for as long as the pack lives. It is built here,
not by the pack, so the pack's models never import the guard that reads them.
"""

from __future__ import annotations

import threading
import weakref

from agent.guard.matcher import Guard
from agent.pack import Pack

_GUARDS: dict[int, Guard] = {}
"""id(pack) -> its guard; an entry is dropped when its pack is garbage-collected."""
_LOCK = threading.Lock()


def guard_for(pack: Pack) -> Guard:
    """Every prohibition of the pack (all SOPs, drafts included, and the never list)."""
    key = id(pack)
    with _LOCK:
        guard = _GUARDS.get(key)
        if guard is None:
            guard = build_guard(pack)
            _GUARDS[key] = guard
            weakref.finalize(pack, _GUARDS.pop, key, None)
        return guard


def build_guard(pack: Pack) -> Guard:
    """A fresh guard over the pack's SOPs, its lexicon's concepts and its never list."""
    concepts = dict(pack.lexicon.concepts) if pack.lexicon else {}
    return Guard(pack.sops, concepts, pack.never)
