"""docs/architecture.md, enforced: import contracts (none ignored), packaging."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
CONTRACTS: list[dict[str, Any]] = PYPROJECT["tool"]["importlinter"]["contracts"]


def lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    return found or "lint-imports"


def test_import_contracts_hold() -> None:
    """``lint-imports``: layers, pure rules/guard/pack, no import circles (see pyproject.toml)."""
    done = subprocess.run(
        [lint_imports(), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


def test_the_contracts_say_what_docs_architecture_says() -> None:
    ids = {c["id"] for c in CONTRACTS}
    assert {"top-layers", "agent-layers", "pure-core", "acyclic"} <= ids
    top = next(c for c in CONTRACTS if c["id"] == "top-layers")
    assert top["layers"] == ["ui", "evals", "agent"]
    pure = next(c for c in CONTRACTS if c["id"] == "pure-core")
    assert {"agent.rules", "agent.guard", "agent.pack"} <= set(pure["source_modules"])
    assert {"langgraph", "agent.graph", "agent.nodes", "agent.store"} <= set(
        pure["forbidden_modules"]
    )


def test_no_import_is_exempted_from_the_contracts() -> None:
    """The layers hold for every import: no ``ignore_imports``, no known crossing left."""
    ignored = {i for c in CONTRACTS for i in c.get("ignore_imports", [])}
    assert ignored == set(), "fix the import instead of ignoring it (docs/architecture.md)"
    assert "Known crossings" not in (ROOT / "docs" / "architecture.md").read_text("utf-8")


def test_agent_never_names_evals_except_the_cli_mount() -> None:
    """Not even lazily: only agent/cli.py looks ``evals.cli`` up, by name, at start-up."""
    offenders = []
    for path in sorted((ROOT / "agent").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(n == "evals" or n.startswith("evals.") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
    assert not (ROOT / "agent" / "evaluation").exists()
    assert not (ROOT / "agent" / "cli_eval.py").exists()


def test_evals_is_packaged_with_its_data() -> None:
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert {"agent", "evals"} <= set(wheel["packages"])
    assert "evals" in PYPROJECT["tool"]["mypy"]["files"]
    import evals
    from evals.gate import BASELINE
    from evals.redteam import REDTEAM_DIR
    from evals.suites import EVALS_DIR

    assert EVALS_DIR == evals.EVALS_DIR == Path(evals.__file__).resolve().parent
    assert BASELINE.is_file() and (EVALS_DIR / "case.schema.json").is_file()
    assert list((EVALS_DIR / "archive").glob("*.yaml"))
    assert list(REDTEAM_DIR.glob("*.yaml"))


def test_the_console_never_imports_the_store() -> None:
    """ui/ reads through the services (crisis service, archive, evals store), not the store."""
    import ast

    from tests.conftest import ROOT

    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("agent.store")]
    assert offenders == []
