"""``crisiscell sops``: lint a pack and keep its JSON Schemas fresh.

Mounted by :mod:`agent.cli` with ``app.add_typer(sops_app)``. Findings are
printed one per line as ``file:line: key.path: message`` so editors and CI
can jump to them; the exit code is 0 when clean and 3 on any finding.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from agent.errors import ConfigError, PackError
from agent.guard.pack_guard import guard_for
from agent.guard.selftest import self_test
from agent.pack.lint import Finding
from agent.pack.loader import lint_paths, load_pack
from agent.pack.pack import Pack
from agent.pack.schema import write_schemas
from agent.schemas import (
    SUGGESTION_SCHEMA_PATH,
    check_schemas,
    check_suggestion_schema,
    write_incident_schema,
    write_suggestion_schema,
)
from agent.settings import Settings

app = typer.Typer(
    name="sops", help="Lint the SOP pack and generate its JSON Schemas.", no_args_is_help=True
)


@app.command("lint")
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Pack directories or single files; default: the configured pack."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print findings as a JSON list of {file,line,key,message,code}."
        ),
    ] = False,
) -> None:
    """Check pack files; every finding is printed as ``file:line: key.path: message``."""
    targets = paths or [Settings().sops_dir]
    pack, findings = _lint(targets)
    findings = [_relative(f) for f in findings]
    if as_json:
        typer.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            typer.echo(str(finding))
        typer.echo(_summary(findings, pack, targets))
    if findings:
        raise typer.Exit(code=ConfigError.exit_code)


@app.command("schema")
def schema(
    check: Annotated[
        bool,
        typer.Option("--check", help="Only list stale schema files; exit 1 when any is stale."),
    ] = False,
) -> None:
    """Write the JSON Schemas of every YAML kind (pack dir) and of incidents (history dir)."""
    settings = Settings()
    if check:
        stale = check_schemas(settings.sops_dir, settings.history_dir)
        if not check_suggestion_schema():
            stale.append(SUGGESTION_SCHEMA_PATH)
        for path in stale:
            typer.echo(f"stale: {_show_path(path)}")
        if stale:
            typer.echo("run `crisiscell sops schema` to regenerate them")
            raise typer.Exit(code=1)
        typer.echo("ok: schemas are fresh")
        return
    written = [
        *write_schemas(settings.sops_dir),
        write_incident_schema(settings.history_dir),
        write_suggestion_schema(),
    ]
    for path in written:
        typer.echo(f"wrote {_show_path(path)}")


@app.command("test")
def test(
    path: Annotated[
        Path | None, typer.Argument(help="Pack directory; default: the configured pack.")
    ] = None,
) -> None:
    """Run the forbidden actions' examples (caught) and allowed phrasings and SOP steps (pass)."""
    root = path or Settings().sops_dir
    try:
        result = self_test(root)
    except PackError as exc:
        for finding in exc.findings:
            typer.echo(str(_relative(finding)))
        typer.echo(f"{len(exc.findings)} error(s): fix the pack before its self-tests can run")
        raise typer.Exit(code=ConfigError.exit_code) from None
    for finding in result.findings:
        typer.echo(str(_relative(finding)))
    checked = (
        f"{result.examples} examples, {result.allowed} allowed phrasings, {result.steps} SOP steps"
    )
    if result.findings:
        typer.echo(f"{len(result.findings)} self-test failure(s) over {checked}")
        raise typer.Exit(code=ConfigError.exit_code)
    typer.echo(f"ok: {checked} behave as written")


@app.command("guard")
def guard(
    text: Annotated[str, typer.Argument(help="A step, title or sentence to check.")],
    sop: Annotated[
        list[str] | None,
        typer.Option(
            "--sop", help="Treat this SOP as selected (its 'scope: selected' patterns apply)."
        ),
    ] = None,
) -> None:
    """Say which forbidden actions a text does, and why (exit 1 when any)."""
    settings = Settings()
    try:
        pack = load_pack(settings.sops_dir)
    except PackError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=ConfigError.exit_code) from None
    hits = guard_for(pack).hits(text, set(sop or []))
    for hit in hits:
        typer.echo(f"blocked: {hit.ref} '{hit.forbidden_text}' <- {hit.evidence}")
    if hits:
        raise typer.Exit(code=1)
    typer.echo("pass: no forbidden action found")


def _lint(targets: list[Path]) -> tuple[Pack | None, list[Finding]]:
    """Load a single pack directory (for the summary) and self-test it, or lint the paths."""
    if len(targets) == 1 and targets[0].is_dir():
        try:
            pack = load_pack(targets[0])
        except PackError as exc:
            return None, exc.findings
        return pack, self_test(targets[0]).findings
    return None, lint_paths(targets)


def _summary(findings: list[Finding], pack: Pack | None, targets: list[Path]) -> str:
    """The last line: an error count, or what a clean pack holds."""
    if findings:
        files = len({f.file for f in findings})
        return f"{len(findings)} error(s) in {files} file(s)"
    if pack is None:
        return f"ok: {len(targets)} path(s) checked"
    return (
        f"ok: {len(pack.sops)} SOPs, taxonomy v{pack.taxonomy.version}, "
        f"severity scale v{pack.scale.version}, {len(pack.sites.sites)} sites, "
        f"{len(pack.facts.facts)} facts, pack {pack.pack_hash[:12]}"
    )


def _relative(finding: Finding) -> Finding:
    """The finding with its file shown relative to the working directory when inside it."""
    return replace(finding, file=Path(_show_path(finding.file)))


def _show_path(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
