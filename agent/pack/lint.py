"""Lint findings and the semantic rules a pack must obey beyond its JSON Schema.

A :class:`Finding` names the file, the 1-based line and the dotted key path of
one problem, so an author can jump to it. The checks here run on models that
already passed pydantic validation; reading files, YAML syntax and dispatch on
``kind`` live in :mod:`agent.pack.loader`, which calls these checks (and is where
``lint_pack`` / ``lint_paths`` are: the loader imports this module, never the reverse).

A file with schema errors is still checked in the same pass
(:func:`partial_findings`): the list items and entries the errors are in are
taken out of a copy of the data until the rest validates, the semantic checks
run on that rest, and findings keep the file's own lines and key paths.
Findings that only name something taken out (a step that depends on a step with
a schema error) are left out: the schema error already speaks for it.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from agent.pack.models import (
    SEVERITY_LEVELS,
    Condition,
    Dimension,
    FactRegistry,
    FactSpec,
    Lexicon,
    Op,
    SeverityScale,
    SiteRegistry,
    Sop,
    Taxonomy,
)
from agent.pack.yamlpos import KeyPath, Positions, dotted

FINDING_CODES = (
    "encoding",
    "yaml",
    "kind",
    "schema",
    "duration",
    "taxonomy",
    "duplicate_id",
    "reference",
    "cycle",
    "role",
    "fact",
    "concept",
    "selftest",
)
"""Every value :attr:`Finding.code` may take (see the README of the pack)."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DURATION_KEYS = frozenset({"deadline", "repeat_every", "within", "for"})
_OPS_BY_TYPE: dict[str, frozenset[Op]] = {
    "bool": frozenset({Op.eq, Op.ne, Op.exists}),
    "number": frozenset({Op.eq, Op.ne, Op.gt, Op.gte, Op.lt, Op.lte, Op.in_, Op.exists}),
    "enum": frozenset({Op.eq, Op.ne, Op.in_, Op.exists}),
    "string": frozenset({Op.eq, Op.ne, Op.in_, Op.contains, Op.exists}),
}


@dataclass(frozen=True)
class Finding:
    """One lint problem, printed as ``file:line: key.path: message``."""

    file: Path
    line: int
    key: str
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping ``{file, line, key, message, code}``."""
        return {
            "file": str(self.file),
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "code": self.code,
        }


@dataclass
class Reporter:
    """Collects findings for one file, turning key paths into lines."""

    file: Path
    positions: Positions
    findings: list[Finding] = field(default_factory=list)

    def add(self, path: KeyPath, code: str, message: str) -> None:
        """Record a finding at ``path`` (or at its nearest existing ancestor)."""
        path = self.positions.original(path)
        line = self.positions.line(path)
        key = dotted(path) or "<file>"
        self.findings.append(Finding(self.file, line, key, message, code))


@dataclass(frozen=True)
class PackContext:
    """What an SOP is checked against: the other files of its pack, when valid."""

    taxonomy: Taxonomy | None = None
    facts: FactRegistry | None = None
    sites: SiteRegistry | None = None
    sop_ids: frozenset[str] = frozenset()
    lexicon: Lexicon | None = None


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings without duplicates, sorted by file, line, key and message."""
    unique = set(findings)
    return sorted(unique, key=lambda f: (str(f.file), f.line, f.key, f.message))


# --- pydantic errors --------------------------------------------------------------------


def schema_findings(file: Path, error: ValidationError, positions: Positions) -> list[Finding]:
    """One readable finding per pydantic error (union branches merged into one)."""
    reporter = Reporter(file, positions)
    branches: dict[KeyPath, list[ErrorDetails]] = {}
    for detail in error.errors(include_url=False):
        prefix, tail = positions.resolve(detail["loc"])
        if len(tail) == 1 and detail["type"] not in ("missing", "extra_forbidden"):
            branches.setdefault(prefix, []).append(detail)
        else:
            code, message = _describe(detail)
            reporter.add((*prefix, *tail), code, message)
    for prefix, details in branches.items():
        _report_branches(reporter, prefix, details)
    return reporter.findings


def _report_branches(reporter: Reporter, prefix: KeyPath, details: list[ErrorDetails]) -> None:
    """Merge the errors of a union's branches into one finding."""
    if len(details) == 1:
        code, message = _describe(details[0])
        reporter.add(tuple(details[0]["loc"]), code, message)
        return
    kinds = ", ".join(dict.fromkeys(str(d["loc"][-1]) for d in details))
    value = _show(details[0].get("input"))
    reporter.add(prefix, "schema", f"invalid value {value}: expected one of {kinds}")


def _describe(detail: ErrorDetails) -> tuple[str, str]:
    """The finding code and a readable message for one pydantic error."""
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    if kind == "missing":
        return "schema", "field required"
    if kind == "extra_forbidden":
        return "schema", f"extra key {str(detail['loc'][-1])!r} not allowed"
    if kind.startswith("time_delta"):
        return "duration", f"invalid duration {_show(value)} (ISO-8601, e.g. PT15M)"
    if kind in ("literal_error", "enum"):
        return "schema", f"invalid value {_show(value)}: expected {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return "schema", f"{_show(value)} does not match the pattern {ctx.get('pattern')}"
    message = detail["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("value_error", "assertion_error"):
        return "schema", message
    return "schema", f"{message[:1].lower()}{message[1:]} (got {_show(value)})"


def _show(value: object) -> str:
    """A short rendering of an offending value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def raw_duration_findings(file: Path, data: object, positions: Positions) -> list[Finding]:
    """Durations written as bare numbers (ambiguous unit) or negative ones."""
    reporter = Reporter(file, positions)
    for path, value in _walk_raw(data, ()):
        if not path or path[-1] not in _DURATION_KEYS:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            reporter.add(
                path,
                "duration",
                f"invalid duration {value!r}: write ISO-8601 such as PT15M, not a bare number",
            )
        elif isinstance(value, str) and value.strip().startswith("-"):
            reporter.add(path, "duration", f"invalid duration {value!r}: must not be negative")
    return reporter.findings


def _walk_raw(data: object, path: KeyPath) -> Iterator[tuple[KeyPath, object]]:
    """Every (path, value) pair below ``data``."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk_raw(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk_raw(value, (*path, index))


# --- files with schema errors -----------------------------------------------------------

SALVAGE_ROUNDS = 25
"""How many rounds of taking broken parts out before a file is given up on."""
_NAME_KEYS = ("id", "ref", "code", "path", "to")


def partial_findings(
    file: Path, model_cls: type[Any], data: dict[str, Any], positions: Positions,
    ctx: PackContext,
) -> list[Finding]:
    """The semantic findings of the parts of a file that validate, despite its schema errors."""
    salvaged = salvage(model_cls, data)
    if salvaged is None:
        return []
    model, removed, names = salvaged
    findings = semantic_findings(file, model, positions.without(removed), ctx)
    return [f for f in findings if not any(repr(n) in f.message for n in names)]


def semantic_findings(
    file: Path, model: object, positions: Positions, ctx: PackContext
) -> list[Finding]:
    """The checks of this module that fit ``model`` (the loader adds the self-test)."""
    if isinstance(model, Sop):
        return check_sop(file, model, positions, ctx)
    if isinstance(model, Taxonomy):
        return check_taxonomy(file, model, positions)
    if isinstance(model, SiteRegistry):
        return check_sites(file, model, positions)
    if isinstance(model, FactRegistry):
        return check_facts(file, model, positions)
    if isinstance(model, SeverityScale):
        return check_scale(file, model, positions, ctx.facts)
    return []


Salvaged = tuple[Any, dict[KeyPath, tuple[int, ...]], set[str]]


def salvage(model_cls: type[Any], data: dict[str, Any]) -> Salvaged | None:
    """The model of ``data`` minus the parts its validation errors are in, or None.

    Returns the model, the list items removed (original path -> indexes) and the
    names (ids, keys) of what was removed.
    """
    data = copy.deepcopy(data)
    removed: dict[KeyPath, set[int]] = {}
    names: set[str] = set()
    for _ in range(SALVAGE_ROUNDS):
        try:
            model = model_cls.model_validate(data)
        except ValidationError as exc:
            cuts = {_cut(data, tuple(e["loc"])) for e in exc.errors(include_url=False)}
            if None in cuts:
                return None
            frozen = {k: tuple(sorted(v)) for k, v in removed.items()}
            originals = [Positions().without(frozen).original(c) for c in cuts if c]
            for cut in sorted((c for c in cuts if c), key=_deepest_last, reverse=True):
                names |= _remove(data, cut)
            for path in originals:
                if isinstance(path[-1], int):
                    removed.setdefault(path[:-1], set()).add(path[-1])
            continue
        return model, {k: tuple(sorted(v)) for k, v in removed.items()}, names
    return None


def _cut(data: Any, loc: KeyPath) -> KeyPath | None:
    """The part to take out for an error at ``loc``: its deepest list item, else its entry."""
    walked: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            break
        node = node[part]
        walked.append(part)
    items = [i for i, part in enumerate(walked) if isinstance(part, int)]
    if items:
        return tuple(walked[: items[-1] + 1])
    if len(walked) >= 2:
        return tuple(walked[:2])
    return None


def _deepest_last(path: KeyPath) -> tuple[int, KeyPath]:
    """Sort key: remove deeper paths, and higher indexes, first."""
    return len(path), tuple(p if isinstance(p, int) else -1 for p in path)


def _remove(data: Any, path: KeyPath) -> set[str]:
    """Delete ``path`` from ``data``; the names of what went (its key, its id)."""
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    gone = parent.pop(path[-1])
    names = {path[-1]} if isinstance(path[-1], str) else set()
    if isinstance(gone, dict):
        names |= {v for k, v in gone.items() if k in _NAME_KEYS and isinstance(v, str)}
    return names


# --- SOP --------------------------------------------------------------------------------


def check_sop(file: Path, sop: Sop, positions: Positions, ctx: PackContext) -> list[Finding]:
    """Every semantic finding of one validated SOP against its pack."""
    reporter = Reporter(file, positions)
    _check_categories(reporter, sop, ctx.taxonomy)
    _check_sites(reporter, sop, ctx.sites)
    _check_unique_ids(reporter, sop)
    _check_step_refs(reporter, sop)
    _check_cycles(reporter, sop)
    _check_activate(reporter, sop, ctx.sop_ids)
    _check_placeholders(reporter, sop)
    _check_repeat(reporter, sop)
    if ctx.facts is not None:
        for condition, path in sop_conditions(sop):
            check_condition(reporter, condition, path, ctx.facts)
    return reporter.findings


def _check_categories(reporter: Reporter, sop: Sop, taxonomy: Taxonomy | None) -> None:
    """Category patterns must name a family or code of the taxonomy."""
    if taxonomy is None:
        return
    for index, pattern in enumerate(sop.applies_to.categories):
        if not taxonomy.matches(pattern):
            hint = _did_you_mean(pattern, taxonomy.codes())
            reporter.add(
                ("applies_to", "categories", index),
                "taxonomy",
                f"unknown category {pattern!r} (taxonomy v{taxonomy.version}){hint}",
            )


def _check_sites(reporter: Reporter, sop: Sop, sites: SiteRegistry | None) -> None:
    """Sites an SOP targets must exist in the site registry."""
    if sites is None:
        return
    known = [s.id for s in sites.sites]
    for index, site in enumerate(sop.applies_to.sites):
        if site not in known:
            reporter.add(
                ("applies_to", "sites", index),
                "reference",
                f"site {site!r} is not defined in sites.yaml{_did_you_mean(site, known)}",
            )


def _check_unique_ids(reporter: Reporter, sop: Sop) -> None:
    """Step ids, forbidden-action ids and notification refs are unique in an SOP."""
    _report_duplicates(
        reporter, "step id", [(("steps", i, "id"), s.id) for i, s in enumerate(sop.steps)]
    )
    _report_duplicates(
        reporter,
        "forbidden action id",
        [(("forbidden_actions", i, "id"), f.id) for i, f in enumerate(sop.forbidden_actions)],
    )
    _report_duplicates(
        reporter,
        "notification",
        [
            (("notifications", i, "id" if n.id else "to"), n.ref)
            for i, n in enumerate(sop.notifications)
        ],
    )


def _report_duplicates(reporter: Reporter, what: str, items: list[tuple[KeyPath, str]]) -> None:
    """Report every repeated value after its first occurrence."""
    first: dict[str, KeyPath] = {}
    for path, value in items:
        if value in first:
            line = reporter.positions.line(reporter.positions.original(first[value]))
            reporter.add(path, "duplicate_id", f"duplicate {what} {value!r} (first at line {line})")
        else:
            first[value] = path


def _check_step_refs(reporter: Reporter, sop: Sop) -> None:
    """``owner``, ``depends_on``, ``on_failure`` and ``anchor`` must point at real things."""
    ids = {s.id for s in sop.steps}
    for i, step in enumerate(sop.steps):
        if step.owner not in sop.roles:
            reporter.add(
                ("steps", i, "owner"), "role", f"role {step.owner!r} is not defined in roles"
            )
        for j, dep in enumerate(step.depends_on):
            if dep not in ids:
                reporter.add(
                    ("steps", i, "depends_on", j),
                    "reference",
                    f"step {dep!r} does not exist in this SOP",
                )
        if step.on_failure is not None and step.on_failure not in ids:
            reporter.add(
                ("steps", i, "on_failure"),
                "reference",
                f"step {step.on_failure!r} does not exist in this SOP",
            )
        target = step.anchor.removeprefix("step:")
        if step.anchor.startswith("step:") and target not in ids:
            reporter.add(
                ("steps", i, "anchor"),
                "reference",
                f"anchor step {target!r} does not exist in this SOP",
            )


def _check_cycles(reporter: Reporter, sop: Sop) -> None:
    """Report each ``depends_on`` cycle once, named from its first step in the file."""
    order: dict[str, int] = {}
    for index, step in enumerate(sop.steps):
        order.setdefault(step.id, index)
    graph = {i: [d for d in sop.steps[k].depends_on if d in order] for i, k in order.items()}
    seen: set[frozenset[str]] = set()
    for cycle in _find_cycles(graph, list(order)):
        if frozenset(cycle) in seen:
            continue
        seen.add(frozenset(cycle))
        start = min(range(len(cycle)), key=lambda k: order[cycle[k]])
        named = cycle[start:] + cycle[:start]
        reporter.add(
            ("steps", order[named[0]], "depends_on"),
            "cycle",
            "dependency cycle: " + " -> ".join([*named, named[0]]),
        )


def _find_cycles(graph: dict[str, list[str]], roots: list[str]) -> list[list[str]]:
    """Cycles found by a depth-first search (one per back edge)."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        stack.append(node)
        for nxt in graph.get(node, []):
            if nxt in stack:
                cycles.append(stack[stack.index(nxt) :])
            elif nxt not in done:
                visit(nxt, stack)
        stack.pop()
        done.add(node)

    for root in roots:
        if root not in done:
            visit(root, [])
    return cycles


def _check_activate(reporter: Reporter, sop: Sop, sop_ids: frozenset[str]) -> None:
    """``escalation[].activate`` must name SOPs of the pack."""
    for i, rule in enumerate(sop.escalation):
        for j, target in enumerate(rule.activate):
            if target not in sop_ids:
                reporter.add(
                    ("escalation", i, "activate", j),
                    "reference",
                    f"SOP {target!r} does not exist in the pack",
                )


def _check_placeholders(reporter: Reporter, sop: Sop) -> None:
    """Every ``{placeholder}`` in a step's action must be a parameter."""
    for i, step in enumerate(sop.steps):
        for name in _PLACEHOLDER.findall(step.action):
            if name not in sop.parameters:
                reporter.add(
                    ("steps", i, "action"),
                    "reference",
                    f"placeholder {{{name}}} has no matching key in parameters",
                )


def _check_repeat(reporter: Reporter, sop: Sop) -> None:
    """``repeat_every`` must be a positive duration."""
    for i, step in enumerate(sop.steps):
        if step.repeat_every is not None and step.repeat_every.total_seconds() <= 0:
            reporter.add(
                ("steps", i, "repeat_every"), "duration", "repeat_every must be a positive duration"
            )


def sop_conditions(sop: Sop) -> Iterator[tuple[Condition, KeyPath]]:
    """Every top-level condition of an SOP with its key path."""
    if sop.triggers is not None:
        yield sop.triggers, ("triggers",)
    for i, step in enumerate(sop.steps):
        if step.when is not None:
            yield step.when, ("steps", i, "when")
    for i, note in enumerate(sop.notifications):
        if note.when is not None:
            yield note.when, ("notifications", i, "when")
    for i, rule in enumerate(sop.escalation):
        yield rule.if_, ("escalation", i, "if")
    if sop.exit_criteria is not None:
        yield sop.exit_criteria, ("exit_criteria",)


# --- conditions and facts ---------------------------------------------------------------


def predicates(condition: Condition, path: KeyPath) -> Iterator[tuple[Condition, KeyPath]]:
    """Every ``{field, op, value}`` leaf of a condition, with its key path."""
    if condition.field is not None:
        yield condition, path
    for name, children in (("all", condition.all), ("any", condition.any)):
        for i, child in enumerate(children or []):
            yield from predicates(child, (*path, name, i))
    if condition.not_ is not None:
        yield from predicates(condition.not_, (*path, "not"))


def check_condition(
    reporter: Reporter, condition: Condition, path: KeyPath, facts: FactRegistry
) -> None:
    """Fields must be registered facts; ops and values must fit the fact's type."""
    for leaf, leaf_path in predicates(condition, path):
        assert leaf.field is not None and leaf.op is not None
        spec = facts.get(leaf.field)
        if spec is None:
            hint = _did_you_mean(leaf.field, [f.path for f in facts.facts])
            reporter.add(
                (*leaf_path, "field"),
                "fact",
                f"fact {leaf.field!r} is not registered in facts.yaml{hint}",
            )
        elif leaf.op not in _OPS_BY_TYPE[spec.type]:
            allowed = ", ".join(sorted(o.value for o in _OPS_BY_TYPE[spec.type]))
            reporter.add(
                (*leaf_path, "op"),
                "fact",
                f"op {leaf.op.value!r} does not fit "
                f"{spec.type} fact {spec.path!r} (allowed: {allowed})",
            )
        else:
            problem = _value_problem(spec, leaf.op, leaf.value)
            if problem:
                reporter.add((*leaf_path, "value"), "fact", problem)


def _value_problem(spec: FactSpec, op: Op, value: object) -> str | None:
    """Why ``value`` cannot be compared with ``spec`` by ``op``, or None when it can."""
    if op is Op.exists:
        return None if value is None or isinstance(value, bool) else "exists takes true or false"
    if value is None:
        return f"op {op.value!r} needs a value"
    if op is Op.in_:
        if not isinstance(value, list) or not value:
            return "op 'in' needs a non-empty list of values"
        return next((p for v in value if (p := _scalar_problem(spec, v))), None)
    return _scalar_problem(spec, value)


def _scalar_problem(spec: FactSpec, value: object) -> str | None:
    """Why one value does not fit the fact's type, or None."""
    if spec.type == "bool" and not isinstance(value, bool):
        return f"bool fact {spec.path!r} compared with {_show(value)}; use true or false"
    if spec.type == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"number fact {spec.path!r} compared with {_show(value)}"
    if spec.type == "string" and not isinstance(value, str):
        return f"string fact {spec.path!r} compared with {_show(value)}"
    if spec.type == "enum" and value not in spec.values:
        return f"{_show(value)} is not an allowed value of {spec.path!r} ({', '.join(spec.values)})"
    return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    """A ``; did you mean 'x'?`` hint, or an empty string."""
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- registries -------------------------------------------------------------------------


def check_taxonomy(file: Path, taxonomy: Taxonomy, positions: Positions) -> list[Finding]:
    """Family codes are unique, and subtype codes are unique within a family."""
    reporter = Reporter(file, positions)
    _report_duplicates(
        reporter,
        "family code",
        [(("families", i, "code"), f.code) for i, f in enumerate(taxonomy.families)],
    )
    for i, family in enumerate(taxonomy.families):
        _report_duplicates(
            reporter,
            "subtype code",
            [
                (("families", i, "subtypes", j, "code"), s.code)
                for j, s in enumerate(family.subtypes)
            ],
        )
    return reporter.findings


def check_sites(file: Path, sites: SiteRegistry, positions: Positions) -> list[Finding]:
    """Site ids are unique."""
    reporter = Reporter(file, positions)
    _report_duplicates(
        reporter, "site id", [(("sites", i, "id"), s.id) for i, s in enumerate(sites.sites)]
    )
    return reporter.findings


def check_facts(file: Path, facts: FactRegistry, positions: Positions) -> list[Finding]:
    """Fact paths are unique; enum facts list their values, other facts do not."""
    reporter = Reporter(file, positions)
    _report_duplicates(
        reporter, "fact path", [(("facts", i, "path"), f.path) for i, f in enumerate(facts.facts)]
    )
    for i, spec in enumerate(facts.facts):
        if spec.type == "enum" and not spec.values:
            reporter.add(("facts", i, "values"), "fact", "an enum fact needs its 'values'")
        if spec.type != "enum" and spec.values:
            reporter.add(
                ("facts", i, "values"),
                "fact",
                f"only enum facts take 'values' (this one is {spec.type})",
            )
    return reporter.findings


def check_scale(
    file: Path, scale: SeverityScale, positions: Positions, facts: FactRegistry | None
) -> list[Finding]:
    """Levels are exactly S1..S5, bands increase, dimensions and floors read real facts."""
    reporter = Reporter(file, positions)
    for i, info in enumerate(scale.levels):
        if info.level != SEVERITY_LEVELS[i]:
            reporter.add(
                ("levels", i, "level"),
                "schema",
                f"levels must be S1..S5 in order; expected {SEVERITY_LEVELS[i]}, got {info.level}",
            )
    _report_duplicates(
        reporter,
        "dimension id",
        [(("dimensions", i, "id"), d.id) for i, d in enumerate(scale.dimensions)],
    )
    _report_duplicates(
        reporter, "floor id", [(("floors", i, "id"), f.id) for i, f in enumerate(scale.floors)]
    )
    for i, dimension in enumerate(scale.dimensions):
        _check_bands(reporter, dimension, ("dimensions", i))
        if facts is not None:
            _check_dimension_fact(reporter, dimension, ("dimensions", i), facts)
    if facts is not None:
        for i, floor in enumerate(scale.floors):
            check_condition(reporter, floor.if_, ("floors", i, "if"), facts)
    return reporter.findings


def _check_bands(reporter: Reporter, dimension: Dimension, path: KeyPath) -> None:
    """Bands go up: each has a higher level and a higher threshold than the previous one."""
    for j in range(1, len(dimension.bands)):
        before, band = dimension.bands[j - 1], dimension.bands[j]
        if band.level <= before.level or band.gte <= before.gte:
            reporter.add(
                (*path, "bands", j),
                "schema",
                f"bands must increase: {band.level} >= {band.gte:g} comes after "
                f"{before.level} >= {before.gte:g}",
            )


def _check_dimension_fact(
    reporter: Reporter, dimension: Dimension, path: KeyPath, facts: FactRegistry
) -> None:
    """A dimension reads a registered fact: a number for bands, an enum for values."""
    spec = facts.get(dimension.fact)
    if spec is None:
        hint = _did_you_mean(dimension.fact, [f.path for f in facts.facts])
        reporter.add(
            (*path, "fact"),
            "fact",
            f"fact {dimension.fact!r} is not registered in facts.yaml{hint}",
        )
        return
    wanted = "number" if dimension.bands else "enum"
    if spec.type != wanted:
        reporter.add(
            (*path, "fact"),
            "fact",
            f"{'bands' if dimension.bands else 'values'} "
            f"need a {wanted} fact; {spec.path!r} is {spec.type}",
        )
        return
    for value in dimension.values:
        if value not in spec.values:
            reporter.add(
                (*path, "values", value),
                "fact",
                f"{value!r} is not an allowed value of {spec.path!r} ({', '.join(spec.values)})",
            )
