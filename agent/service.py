"""The one call the CLI, the console and the evals share: event in, suggestion out."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import TypeAdapter, ValidationError

import agent.errors
import agent.pack
from agent.cache import cache_dir, files_digest, prune, read_cached, write_atomically
from agent.context import Deps
from agent.domain import Event, Suggestion
from agent.graph import build_graph
from agent.llm.base import LLM
from agent.llm.factory import make_llm
from agent.pack import Pack
from agent.rules.need_to_know import Clearance
from agent.settings import Settings
from agent.state import InputState

PACK_CODE = Path(agent.pack.__file__).parent
"""The loader, models and lint: a change to them invalidates every cached pack."""
PACKS_KEPT = 4
"""Cached packs kept (the newest): one per pack directory and version in use."""


class Suggester:
    """A compiled graph and its dependencies, reused across events."""

    def __init__(
        self, llm: LLM | None = None, settings: Settings | None = None, deps: Deps | None = None
    ) -> None:
        settings = settings or Settings()
        self.deps = deps or CachedPackDeps(llm=llm or make_llm(settings), settings=settings)
        self.graph = build_graph()

    def warm_up(self, clearance: str | None = None) -> None:
        """Load the pack and the index the first event will search, not on that event.

        Only the index of ``clearance`` (default: the settings'): the one over
        everything is not needed to answer, and building both doubles a cold start.
        """
        level = Clearance.parse(clearance or self.deps.settings.clearance)
        _ = self.deps.pack, self.deps.retriever_for(level)

    def suggest(
        self,
        event: Event,
        guidance: str | None = None,
        exclude_incidents: Sequence[str] = (),
        clearance: str | None = None,
    ) -> Suggestion:
        """Run the graph on one event; ``exclude_incidents`` hides incidents from retrieval."""
        state = InputState(
            event=event,
            guidance=guidance,
            exclude_incidents=list(exclude_incidents),
            clearance=clearance or self.deps.settings.clearance,
        )
        result = self.graph.invoke(state, context=self.deps)
        suggestion = result["suggestion"]
        assert isinstance(suggestion, Suggestion)
        return suggestion


class CachedPackDeps(Deps):
    """Dependencies whose pack comes from the content-keyed cache (issue 11: cold start)."""

    @cached_property
    def pack(self) -> Pack:
        """The SOP pack, parsed and linted once per content of its files and of the loader."""
        if self.pack_override is not None:
            return self.pack_override
        return cached_pack(self.settings.sops_dir)


def cached_pack(root: Path) -> Pack:
    """The pack in ``root``: read back from the cache when nothing it depends on changed.

    Parsing the YAML and linting it is most of loading a pack; a clean pack is kept as
    JSON under :func:`agent.cache.cache_dir`, keyed by the bytes of every pack file and
    of the loader's code. A broken pack is never cached, so it fails as it always did.

    Raises:
        PackError: the pack does not lint clean.
    """
    try:
        path = cache_dir() / f"pack-{pack_key(root)[:32]}.json"
    except OSError:
        return _load(root)
    raw = read_cached(path)
    if raw is not None:
        try:
            return _pack_adapter().validate_json(raw)
        except ValidationError:
            pass  # written by another version of a model: rebuild it
    pack = _load(root)
    _save(path, pack)
    return pack


def _load(root: Path) -> Pack:
    """Parse and lint the pack (the loader and its YAML parser imported only on a miss)."""
    from agent.pack.loader import load_pack

    return load_pack(root)


def pack_key(root: Path) -> str:
    """The cache key of the pack in ``root`` (raises OSError when a file cannot be read)."""
    files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    code = [*sorted(PACK_CODE.glob("*.py")), Path(agent.errors.__file__)]
    salt = f"{sys.version}\0{PYDANTIC_VERSION}\0{root}\0{root.resolve()}"
    return files_digest([*files, *code], salt)


def _save(path: Path, pack: Pack) -> None:
    """Cache the pack only when reading it back gives the very same pack."""
    raw = _pack_adapter().dump_json(pack)
    if _pack_adapter().validate_json(raw) == pack:
        write_atomically(path, lambda file: file.write(raw))
        prune(path.parent, "pack-*.json", PACKS_KEPT)


@cache
def _pack_adapter() -> TypeAdapter[Pack]:
    return TypeAdapter(Pack)
