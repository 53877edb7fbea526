"""The one call the CLI, the console and the evals share: event in, suggestion out.

An offline one-shot suggestion runs the declared pipeline in-process
(:mod:`agent.runner`); a model-backed one runs it as LangGraph's compiled graph,
imported only then (issue 11: an offline ``crisiscell suggest`` never imports LangGraph).
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import TypeAdapter, ValidationError

import agent.errors
import agent.pack
from agent.cache import cache_dir, files_digest, prune, read_cached, write_atomically
from agent.context import Deps
from agent.domain import Event, Suggestion
from agent.llm.base import LLM
from agent.llm.factory import make_llm
from agent.llm.offline import OFFLINE, OfflineLLM
from agent.pack import Pack
from agent.rules.need_to_know import Clearance
from agent.runner import STEP_LIMIT, run_pipeline
from agent.settings import Settings
from agent.state import InputState

if TYPE_CHECKING:
    from agent.graph import Graph

PACK_CODE = Path(agent.pack.__file__).parent
"""The loader, models and lint: a change to them invalidates every cached pack."""
PACKS_KEPT = 4
"""Cached packs kept (the newest): one per pack directory and version in use."""


class Suggester:
    """The pipeline and its dependencies, reused across events."""

    def __init__(
        self, llm: LLM | None = None, settings: Settings | None = None, deps: Deps | None = None
    ) -> None:
        settings = settings or Settings()
        self.deps = deps or CachedPackDeps(llm=llm or make_llm(settings), settings=settings)

    @cached_property
    def graph(self) -> Graph:
        """LangGraph's compiled pipeline (one per process), imported on first use."""
        from agent.graph import build_graph

        return build_graph()

    @property
    def in_process(self) -> bool:
        """True when runs skip LangGraph: the offline backend, which needs none of it."""
        llm = self.deps.llm
        return isinstance(llm, OfflineLLM) and llm.name == OFFLINE

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
        """Run the pipeline on one event; ``exclude_incidents`` hides incidents from retrieval."""
        state = InputState(
            event=event,
            guidance=guidance,
            exclude_incidents=list(exclude_incidents),
            clearance=clearance or self.deps.settings.clearance,
        )
        suggestion = self._run(state)["suggestion"]
        assert isinstance(suggestion, Suggestion)
        return suggestion

    def _run(self, state: InputState) -> dict[str, Any]:
        """The output of one run, in-process when offline, else through LangGraph."""
        if self.in_process:
            with collector_paused():
                return run_pipeline(state, self.deps, STEP_LIMIT)
        return self.graph.invoke(state, {"recursion_limit": STEP_LIMIT}, context=self.deps)


class _Pause:
    """Runs under :func:`collector_paused` now, and whether the collector was on before them."""

    def __init__(self) -> None:
        self.runs = 0
        self.was_enabled = False
        self.lock = threading.Lock()


_PAUSE = _Pause()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during an offline run (issue 11: cold start).

    A process's first run builds what lives as long as the process: the pack, the
    guard's lexicon, the indexes, the categoriser's lexicon and model. The collector
    would walk those young objects again and again while they are built: 0.1 to 0.3 s
    of CPU of a cold offline ``crisiscell suggest`` on a 2-core machine, measured.
    Reference counting still frees every other object at once; only cycles wait for the
    end of the run, which takes milliseconds once warm (a model-backed run, which may
    wait seconds on the network, is not paused). Concurrent runs share one pause; a
    collector someone else turned off stays off.
    """
    with _PAUSE.lock:
        if _PAUSE.runs == 0:
            _PAUSE.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSE.runs += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.runs -= 1
            if _PAUSE.runs == 0 and _PAUSE.was_enabled:
                gc.enable()


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
