"""Facts an operator states or corrects on the command line: ``--facts path=value``.

The text reader can misread ("16:06" is not six people) or miss ("12 communes are
sheltering" is an off-site effect). An operator who knows better says so, and what they
say wins over what was read: ``--facts effects.offsite=true``, ``--facts
casualties.deaths=0``; an empty value (``--facts substance.un=``) makes the fact unknown
again. Each path must be one the pack's fact registry declares, with a value of its type,
so a typo is a clear error rather than a fact nothing reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from agent.errors import InputError
from agent.pack.models import FactRegistry, FactSpec


def parse_overrides(items: Iterable[str]) -> dict[str, Any]:
    """``path=value`` pairs as facts (values read as YAML scalars: true, 3, orange)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--facts expects path=value, got '{item}'")
        try:
            parsed = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError:
            parsed = value.strip()
        out[key.strip()] = parsed
    return out


def check_overrides(facts: Mapping[str, Any], registry: FactRegistry) -> None:
    """Every path declared by the pack and every value of its declared type.

    Raises:
        InputError: naming the first path that is unknown or has a wrong value.
    """
    for path, value in facts.items():
        spec = registry.get(path)
        if spec is None:
            raise InputError(f"--facts {path}: not a fact the pack declares (sops/facts.yaml)")
        problem = _type_problem(spec, value)
        if problem:
            raise InputError(f"--facts {path}={value}: {problem}")


def _type_problem(spec: FactSpec, value: Any) -> str | None:
    if value is None:
        return None  # back to unknown
    if spec.type == "bool" and not isinstance(value, bool):
        return "expected true or false"
    if spec.type == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return "expected a number"
    if spec.type == "enum" and str(value) not in spec.values:
        return f"expected one of {', '.join(spec.values)}"
    return None


def overrides(items: Iterable[str], pack_dir: Path) -> dict[str, Any]:
    """``--facts`` items parsed and checked against the fact registry of the pack at ``pack_dir``.

    Raises:
        InputError: an item that is not ``path=value``, an unknown path, a wrong value.
    """
    from agent.pack.loader import load_pack

    given = parse_overrides(items)
    if given:
        check_overrides(given, load_pack(pack_dir).facts)
    return given


__all__ = ["check_overrides", "overrides", "parse_overrides"]
