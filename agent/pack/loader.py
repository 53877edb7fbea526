"""Read a pack directory, validate every file, and build a :class:`Pack` only when clean.

Layout: ``taxonomy.yaml`` (``kind: taxonomy``), ``severity.yaml``
(``kind: severity_scale``), ``sites.yaml`` (``kind: sites``), ``facts.yaml``
(``kind: facts``); every other ``*.yaml`` file is an SOP (it has no ``kind``).
Every problem of every file is reported at once, and a broken pack is never
half-loaded: :func:`load_pack` raises :class:`~agent.errors.PackError` instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from agent.errors import PackError
from agent.pack.concept_refs import check_forbidden
from agent.pack.lint import (
    Finding,
    PackContext,
    check_facts,
    check_scale,
    check_sites,
    check_sop,
    check_taxonomy,
    partial_findings,
    raw_duration_findings,
    schema_findings,
    sort_findings,
)
from agent.pack.models import (
    FactRegistry,
    Lexicon,
    NeverList,
    SeverityScale,
    SiteRegistry,
    Sop,
    Taxonomy,
)
from agent.pack.pack import Pack
from agent.pack.yamlpos import Positions, YamlSyntaxError, parse_yaml

PackModel = Sop | Taxonomy | SeverityScale | SiteRegistry | FactRegistry | Lexicon | NeverList
M = TypeVar("M", bound=BaseModel)

SOP_KIND = "sop"
KIND_MODELS: dict[str, type[PackModel]] = {
    "taxonomy": Taxonomy,
    "severity_scale": SeverityScale,
    "sites": SiteRegistry,
    "facts": FactRegistry,
    "lexicon": Lexicon,
    "never": NeverList,
}
"""The ``kind:`` values a pack file may declare (SOP files declare none)."""
KIND_FILES = {
    "taxonomy": "taxonomy.yaml",
    "severity_scale": "severity.yaml",
    "sites": "sites.yaml",
    "facts": "facts.yaml",
    "lexicon": "lexicon.yaml",
    "never": "never.yaml",
}
"""The conventional file of each kind; each kind appears at most once in a pack."""
OPTIONAL_KINDS = frozenset({"lexicon", "never"})
"""Kinds a pack may go without (no shared concepts, no pack-level prohibitions)."""


@dataclass(frozen=True)
class Document:
    """One pack file after reading: its bytes, data, positions and model (None if invalid)."""

    path: Path
    raw: bytes
    kind: str
    data: dict[str, Any]
    positions: Positions
    model: PackModel | None


# --- public API -------------------------------------------------------------------------


def lint_pack(root: Path) -> list[Finding]:
    """Every finding of the pack directory ``root``, sorted by file then line."""
    findings, _ = analyse(root, pack_files(root))
    return findings


def lint_paths(paths: list[Path]) -> list[Finding]:
    """Findings for directories (whole packs) and single files.

    A single file is checked against the taxonomy, facts, sites and other SOPs
    of its own directory when they are present; only its own findings are kept.
    """
    findings: list[Finding] = []
    for path in paths:
        if path.is_dir():
            findings += lint_pack(path)
        elif path.is_file():
            findings += _lint_file(path)
        else:
            findings.append(Finding(path, 1, "<file>", "no such file or directory", "encoding"))
    return sort_findings(findings)


def load_pack(root: Path) -> Pack:
    """Load and validate the pack in ``root``.

    Raises:
        PackError: with every finding, when any file has any problem.
    """
    return load_documents(root)[0]


def load_documents(root: Path) -> tuple[Pack, list[Document]]:
    """The pack in ``root`` and the documents it was built from (for their file positions).

    Raises:
        PackError: with every finding, when any file has any problem.
    """
    findings, docs = analyse(root, pack_files(root))
    if findings:
        raise PackError(findings)
    return _build_pack(root, docs), docs


def pack_files(root: Path) -> list[Path]:
    """The ``*.yaml`` files of a pack directory, sorted by name (hidden files skipped)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*.yaml") if p.is_file() and not p.name.startswith("."))


# --- analysis ---------------------------------------------------------------------------


def analyse(root: Path, files: list[Path]) -> tuple[list[Finding], list[Document]]:
    """Read, validate and cross-check ``files`` as the pack ``root``."""
    findings = _layout_findings(root)
    if not root.is_dir():
        return findings, []
    docs: list[Document] = []
    for path in files:
        doc, problems = read_document(path)
        findings += problems
        if doc is not None:
            docs.append(doc)
    findings += _kind_findings(root, docs, {p.name for p in files})
    findings += _duplicate_sop_ids(docs)
    findings += _semantic_findings(docs)
    return sort_findings(findings), docs


def _lint_file(path: Path) -> list[Finding]:
    """Lint one file in the context of its directory, keeping only its findings."""
    files = pack_files(path.parent)
    target = path.resolve()
    if all(f.resolve() != target for f in files):
        files.append(path)
    findings, _ = analyse(path.parent, files)
    return [f for f in findings if f.file.resolve() == target]


def _layout_findings(root: Path) -> list[Finding]:
    """A missing directory, and ``.yml`` files that would be silently ignored."""
    if not root.is_dir():
        return [Finding(root, 1, "<file>", "pack directory does not exist", "encoding")]
    return [
        Finding(p, 1, "<file>", "pack files must end in .yaml; this file is not loaded", "kind")
        for p in sorted(root.glob("*.yml"))
        if not p.name.startswith(".")
    ]


# --- one file ---------------------------------------------------------------------------


def read_document(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read, parse and validate one file; the document is None when it cannot be parsed."""
    raw_or_finding = _read_text(path)
    if isinstance(raw_or_finding, Finding):
        return None, [raw_or_finding]
    raw, text = raw_or_finding
    try:
        data, positions = parse_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Finding(path, exc.line, "<file>", f"YAML syntax: {exc.message}", "yaml")]
    if not isinstance(data, dict):
        return None, [_shape_finding(path, data, positions)]
    findings = [
        Finding(
            path,
            d.line,
            ".".join(map(str, d.path)),
            f"duplicate key (first at line {d.first_line}); YAML keeps only the last",
            "yaml",
        )
        for d in positions.duplicates
    ]
    doc, problems = _validate(path, raw, data, positions)
    return doc, findings + problems


def _read_text(path: Path) -> tuple[bytes, str] | Finding:
    """The bytes and UTF-8 text of a file, or a finding saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Finding(path, 1, "<file>", f"cannot read file: {exc.strerror or exc}", "encoding")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return Finding(path, line, "<file>", "binary file (NUL byte), not YAML text", "encoding")
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        return Finding(path, line, "<file>", message, "encoding")


def _shape_finding(path: Path, data: object, positions: Positions) -> Finding:
    """The finding for an empty document or a top level that is not a mapping."""
    if data is None:
        return Finding(path, 1, "<file>", "empty file: expected a YAML mapping", "yaml")
    what = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
    line = positions.line(())
    return Finding(path, line, "<file>", f"top level must be a mapping, not {what}", "yaml")


def _validate(
    path: Path, raw: bytes, data: dict[str, Any], positions: Positions
) -> tuple[Document | None, list[Finding]]:
    """Dispatch on ``kind`` and validate with the matching pydantic model."""
    kind, problem = _kind_of(path, data)
    if problem is not None:
        return None, [Finding(path, positions.line(("kind",)), "kind", problem, "kind")]
    model_cls: type[PackModel] = Sop if kind == SOP_KIND else KIND_MODELS[kind]
    findings = raw_duration_findings(path, data, positions) if kind == SOP_KIND else []
    try:
        model: PackModel | None = model_cls.model_validate(data)
    except ValidationError as exc:
        model = None
        findings = schema_findings(path, exc, positions) + findings
    return Document(path, raw, kind, data, positions, model), findings


def _kind_of(path: Path, data: dict[str, Any]) -> tuple[str, str | None]:
    """The kind of a file, or a message saying why it has none we know."""
    expected = next((k for k, name in KIND_FILES.items() if name == path.name), None)
    if "kind" not in data:
        if expected is not None:
            return SOP_KIND, f"{path.name} must declare 'kind: {expected}'"
        return SOP_KIND, None
    kind = data["kind"]
    if not isinstance(kind, str) or kind not in KIND_MODELS:
        known = ", ".join(KIND_MODELS)
        return SOP_KIND, f"unknown kind {kind!r} (expected one of {known}; SOPs have no kind)"
    return kind, None


# --- across files -----------------------------------------------------------------------


def _kind_findings(root: Path, docs: list[Document], names: set[str]) -> list[Finding]:
    """Each registry kind must appear exactly once (a broken file speaks for itself)."""
    findings: list[Finding] = []
    for kind, name in KIND_FILES.items():
        same = sorted((d for d in docs if d.kind == kind), key=lambda d: d.path.name != name)
        if not same and name not in names and kind not in OPTIONAL_KINDS:
            message = f"the pack has no 'kind: {kind}' file (expected {name})"
            findings.append(Finding(root / name, 1, "<file>", message, "kind"))
        for doc in same[1:]:
            message = f"a pack has one {kind} file; {same[0].path.name} is already one"
            findings.append(
                Finding(doc.path, doc.positions.line(("kind",)), "kind", message, "kind")
            )
    return findings


def _duplicate_sop_ids(docs: list[Document]) -> list[Finding]:
    """An SOP id used by two files is reported in each of them."""
    by_id: dict[str, list[Document]] = {}
    for doc in docs:
        sop_id = doc.data.get("id")
        if doc.kind == SOP_KIND and isinstance(sop_id, str):
            by_id.setdefault(sop_id, []).append(doc)
    findings: list[Finding] = []
    for sop_id, same in by_id.items():
        for doc in same if len(same) > 1 else []:
            others = ", ".join(d.path.name for d in same if d is not doc)
            findings.append(
                Finding(
                    doc.path,
                    doc.positions.line(("id",)),
                    "id",
                    f"duplicate SOP id {sop_id!r} (also in {others})",
                    "duplicate_id",
                )
            )
    return findings


def _semantic_findings(docs: list[Document]) -> list[Finding]:
    """The cross-reference checks of every valid document against its pack."""
    ctx = _context(docs)
    findings: list[Finding] = []
    for doc in docs:
        model = doc.model
        if isinstance(model, Sop):
            findings += check_sop(doc.path, model, doc.positions, ctx)
            findings += check_forbidden(doc.path, model, doc.positions, ctx.lexicon)
        elif isinstance(model, Taxonomy):
            findings += check_taxonomy(doc.path, model, doc.positions)
        elif isinstance(model, SiteRegistry):
            findings += check_sites(doc.path, model, doc.positions)
        elif isinstance(model, FactRegistry):
            findings += check_facts(doc.path, model, doc.positions)
        elif isinstance(model, SeverityScale):
            findings += check_scale(doc.path, model, doc.positions, ctx.facts)
        elif isinstance(model, NeverList):
            findings += check_forbidden(doc.path, model, doc.positions, ctx.lexicon)
        elif model is None:  # schema errors: still check the parts that validate
            cls = Sop if doc.kind == SOP_KIND else KIND_MODELS[doc.kind]
            findings += partial_findings(doc.path, cls, doc.data, doc.positions, ctx)
    return findings


def _context(docs: list[Document]) -> PackContext:
    """The pack an SOP is checked against (registries that failed validation are None)."""
    sop_ids = frozenset(
        str(d.data["id"]) for d in docs if d.kind == SOP_KIND and isinstance(d.data.get("id"), str)
    )
    return PackContext(
        taxonomy=_first(docs, Taxonomy),
        facts=_first(docs, FactRegistry),
        sites=_first(docs, SiteRegistry),
        sop_ids=sop_ids,
        lexicon=_first(docs, Lexicon),
    )


def _first(docs: Iterable[Document], cls: type[M]) -> M | None:
    """The model of the first document of a kind, when it validated."""
    return next((d.model for d in docs if isinstance(d.model, cls)), None)


# --- building ---------------------------------------------------------------------------


def _build_pack(root: Path, docs: list[Document]) -> Pack:
    """Assemble a Pack from documents that all passed every check."""
    taxonomy, scale = _first(docs, Taxonomy), _first(docs, SeverityScale)
    sites, facts = _first(docs, SiteRegistry), _first(docs, FactRegistry)
    assert taxonomy and scale and sites and facts, "a clean pack has every registry"
    sop_docs = [d for d in docs if isinstance(d.model, Sop)]
    sops = tuple(
        sorted((d.model for d in sop_docs if isinstance(d.model, Sop)), key=lambda s: s.id)
    )
    hashes = {str(d.data["id"]): hashlib.sha256(d.raw).hexdigest() for d in sop_docs}
    return Pack(
        root=root,
        taxonomy=taxonomy,
        scale=scale,
        sites=sites,
        facts=facts,
        sops=sops,
        sop_hashes=dict(sorted(hashes.items())),
        pack_hash=pack_hash(docs),
        lexicon=_first(docs, Lexicon),
        never=_first(docs, NeverList),
    )


def pack_hash(docs: Iterable[Document]) -> str:
    """sha256 over every file, sorted by name: ``name NUL size NUL bytes`` for each."""
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.path.name):
        digest.update(f"{doc.path.name}\0{len(doc.raw)}\0".encode())
        digest.update(doc.raw)
    return digest.hexdigest()
