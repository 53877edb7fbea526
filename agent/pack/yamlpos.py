"""YAML source positions: map every key path of a document to its 1-based line.

The document is composed once with PyYAML's ``SafeLoader`` (libyaml's C parser when
PyYAML has it) and the data is constructed from that same node tree, so positions and
data always agree.
A key path is a tuple of mapping keys and list indexes, e.g.
``("steps", 3, "owner")``; pydantic error ``loc`` tuples use the same shape
(with YAML spellings such as ``for``, ``if`` and ``not``, since models
validate by alias), so :func:`best_line` finds the line of any error.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KeyPath = tuple[str | int, ...]
"""A path from the document root: mapping keys (str) and list indexes (int)."""

_PYTHON_NAMES = {"for_": "for", "if_": "if", "not_": "not", "in_": "in"}
"""Python field names whose YAML spelling is a keyword (pydantic aliases)."""


class YamlSyntaxError(Exception):
    """The text is not well-formed YAML (or holds more than one document)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True)
class DuplicateKey:
    """A mapping key written twice; YAML silently keeps only the last value."""

    path: KeyPath
    line: int
    first_line: int


@dataclass(frozen=True)
class Positions:
    """The 1-based line of every key path in one document."""

    lines: dict[KeyPath, int] = field(default_factory=dict)
    duplicates: tuple[DuplicateKey, ...] = ()
    removed: dict[KeyPath, tuple[int, ...]] = field(default_factory=dict)
    """List items taken out of the data before it was checked (see :meth:`original`):
    original list path -> original indexes."""

    def without(self, removed: dict[KeyPath, tuple[int, ...]]) -> Positions:
        """The same positions for a copy of the data with list items ``removed``."""
        return Positions(self.lines, self.duplicates, removed)

    def original(self, path: Sequence[str | int]) -> KeyPath:
        """A path of the data with items removed, as a path of the file as written."""
        out: KeyPath = ()
        for part in path:
            if isinstance(part, int) and out in self.removed:
                for gone in sorted(self.removed[out]):
                    part += gone <= part
            out = (*out, part)
        return out

    def resolve(self, loc: Sequence[str | int]) -> tuple[KeyPath, KeyPath]:
        """Split ``loc`` into its longest existing prefix and the remaining tail."""
        prefix: KeyPath = ()
        for index, part in enumerate(loc):
            candidate = _child(self.lines, prefix, part)
            if candidate is None:
                return prefix, tuple(loc[index:])
            prefix = candidate
        return prefix, ()

    def line(self, path: Sequence[str | int]) -> int:
        """The line of ``path``, or of its nearest existing ancestor (1 at worst)."""
        prefix, _ = self.resolve(path)
        return self.lines.get(prefix, 1)


def best_line(positions: Positions, loc: Sequence[str | int]) -> int:
    """The best line for a pydantic error ``loc``: its nearest existing ancestor path."""
    return positions.line(loc)


def dotted(path: Sequence[str | int]) -> str:
    """A key path as ``steps.3.owner``."""
    return ".".join(str(part) for part in path)


def parse_yaml(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data and the positions of its keys.

    Raises:
        YamlSyntaxError: the text is not one well-formed YAML document.
    """
    if _FastLoader is not None:
        try:
            return _compose(_FastLoader(text))
        except Exception:
            pass
    try:
        return _compose(_PositionLoader(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(mark.line + 1 if mark else 1, _yaml_message(exc)) from exc
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise YamlSyntaxError(1, str(exc) or type(exc).__name__) from exc


def _compose(loader: Any) -> tuple[Any, Positions]:
    """One document's data and positions, from the same node tree."""
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions()
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return data, _positions(node)


def _child(lines: dict[KeyPath, int], prefix: KeyPath, part: str | int) -> KeyPath | None:
    """The existing path one step below ``prefix`` that ``part`` names, if any."""
    spellings: list[str | int] = [part, str(part), _PYTHON_NAMES.get(str(part), str(part))]
    for spelling in spellings:
        if (*prefix, spelling) in lines:
            return (*prefix, spelling)
    return None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    """A one-line message from a PyYAML error, without its position dump."""
    context = exc.context
    if context and exc.context_mark is not None:
        context = f"{context} (line {exc.context_mark.line + 1})"
    return "; ".join(p for p in (context, exc.problem) if p) or "invalid YAML"


def _positions(root: Node) -> Positions:
    """Walk the node tree and record the line of every key path."""
    lines: dict[KeyPath, int] = {(): root.start_mark.line + 1}
    duplicates: list[DuplicateKey] = []
    _walk(root, (), lines, duplicates, set())
    return Positions(lines, tuple(duplicates))


def _walk(
    node: Node,
    path: KeyPath,
    lines: dict[KeyPath, int],
    duplicates: list[DuplicateKey],
    active: set[int],
) -> None:
    """Record positions below ``node``; ``active`` guards against recursive aliases."""
    if id(node) in active:
        return
    active.add(id(node))
    if isinstance(node, MappingNode):
        _walk_mapping(node, path, lines, duplicates, active)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, duplicates, active)
    active.discard(id(node))


def _walk_mapping(
    node: MappingNode,
    path: KeyPath,
    lines: dict[KeyPath, int],
    duplicates: list[DuplicateKey],
    active: set[int],
) -> None:
    """Record each key of a mapping node, noting keys written twice."""
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            continue
        child = (*path, key_node.value)
        line = key_node.start_mark.line + 1
        if child in lines and key_node.value != "<<":
            duplicates.append(DuplicateKey(child, line, lines[child]))
            _forget_below(lines, child)
        lines[child] = line
        _walk(value_node, child, lines, duplicates, active)


def _forget_below(lines: dict[KeyPath, int], path: KeyPath) -> None:
    """Drop the positions under ``path``: a repeated key replaces the whole value."""
    for stale in [p for p in lines if len(p) > len(path) and p[: len(path)] == path]:
        del lines[stale]


class _PositionLoader(yaml.SafeLoader):
    """SafeLoader whose date errors carry the line of the offending value."""

    def construct_yaml_timestamp(self, node: ScalarNode) -> datetime.date:
        """Build a date or datetime, reporting impossible dates with their position."""
        return _timestamp(self, node)


def _timestamp(loader: Any, node: ScalarNode) -> datetime.date:
    """A date or datetime; an impossible date is an error at the value's position."""
    try:
        value: datetime.date = yaml.constructor.SafeConstructor.construct_yaml_timestamp(
            loader, node
        )
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"invalid date {node.value!r}: {exc}", node.start_mark
        ) from exc
    return value


_PositionLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _PositionLoader.construct_yaml_timestamp
)

_FastLoader: type | None = None
"""libyaml's parser when PyYAML was built with it (five times faster on the pack): the
same nodes and marks. Any error is re-read by :class:`_PositionLoader` for its wording."""
if getattr(yaml, "__with_libyaml__", False):

    class _CPositionLoader(yaml.CSafeLoader):
        """The same loader on libyaml's parser."""

    _CPositionLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    _FastLoader = _CPositionLoader
