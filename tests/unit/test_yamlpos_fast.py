"""libyaml's parser gives the same data and positions; errors keep the pure parser's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.pack import yamlpos
from agent.pack.yamlpos import YamlSyntaxError, parse_yaml
from tests.conftest import ROOT

FILES = sorted((ROOT / "sops").glob("*.yaml")) + sorted((ROOT / "evals").rglob("*.yaml"))[:20]


@pytest.mark.skipif(yamlpos._FastLoader is None, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_parse_matches_the_pure_parser(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yamlpos._FastLoader is not None
    fast = yamlpos._compose(yamlpos._FastLoader(text))
    pure = yamlpos._compose(yamlpos._PositionLoader(text))
    assert fast == pure


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: 1\nb: [1, 2\nc: 3\n", 3), ("when: 2024-02-30\n", 1), ("a: 1\n  b: 2\n", 2)],
)
def test_errors_name_their_line(text: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text)
    assert caught.value.line == line


def test_duplicate_keys_are_still_seen() -> None:
    _, positions = parse_yaml("id: A\nid: B\n")
    assert [d.line for d in positions.duplicates] == [2]
