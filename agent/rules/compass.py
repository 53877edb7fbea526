"""Compass directions as operators write them (EN and FR), and where a wind sends a plume.

"vent d'ouest", "Wind from the west", "drifting NW", "vers le nord-est": a plume goes
where the wind blows to, the opposite of where it comes from.
"""

from __future__ import annotations

POINTS = ("north", "north_east", "east", "south_east", "south", "south_west", "west", "north_west")

_WORDS: dict[str, str] = {
    "north": "north",
    "south": "south",
    "east": "east",
    "west": "west",
    "nord": "north",
    "sud": "south",
    "est": "east",
    "ouest": "west",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "o": "west",
}

DIRECTION = (
    r"(?:north|south|nord|sud)(?:[- ]?(?:east|west|est|ouest))?(?:erly|ward|wards)?"
    r"|(?:east|west)(?:erly|ward|wards)?|ouest|est"
    r"|(?:ne|nw|se|sw|nne|ene|ese|sse|ssw|wsw|wnw|nnw)(?=\W|$)"
)
"""One compass direction in folded text, as a regex fragment (no group)."""


def point(words: str) -> str | None:
    """The compass point named ("nord-est", "NE", "north-easterly"), as ``north_east``."""
    word = words.strip().replace("-", " ").replace("_", " ")
    for suffix in ("erly", "wards", "ward"):
        word = word.removesuffix(suffix)
    parts = word.split()
    if len(parts) == 1 and len(parts[0]) in (2, 3) and parts[0] not in _WORDS:
        parts = list(parts[0][-2:])  # "nne" -> n, e; "sw" -> s, w
    for head in ("north", "south", "nord", "sud"):
        if len(parts) == 1 and parts[0].startswith(head) and parts[0] != head:
            parts = [head, parts[0][len(head) :]]
    names = [_WORDS.get(p) for p in parts]
    if not names or None in names:
        return None
    name = "_".join(n for n in names if n)
    return name if name in POINTS else None


def downwind(source: str) -> str:
    """Where a wind from ``source`` carries the plume: from the west -> east."""
    return POINTS[(POINTS.index(source) + 4) % len(POINTS)]
