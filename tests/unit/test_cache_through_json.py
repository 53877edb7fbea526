"""A read-through JSON cache file gives what building gives, or is not written."""

from pathlib import Path
from typing import Any

from agent.cache import through_json


def _decode(found: Any) -> tuple[int, ...] | None:
    return tuple(found) if isinstance(found, list) else None


def test_built_once_then_read(tmp_path: Path) -> None:
    calls: list[int] = []

    def build() -> tuple[int, ...]:
        calls.append(1)
        return (1, 2, 3)

    path = tmp_path / "thing-abc.json"
    assert through_json(path, build, list, _decode, 2) == (1, 2, 3)
    assert through_json(path, build, list, _decode, 2) == (1, 2, 3)
    assert calls == [1]


def test_damaged_file_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "thing-abc.json"
    path.write_text("{not json")
    assert through_json(path, lambda: (4,), list, _decode, 2) == (4,)
    assert path.read_text() == "[4]"


def test_value_that_does_not_read_back_equal_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "thing-abc.json"
    assert through_json(path, lambda: (5,), lambda v: [6], _decode, 2) == (5,)
    assert not path.exists()


def test_only_the_newest_files_of_the_name_are_kept(tmp_path: Path) -> None:
    for key in ("a", "b", "c"):
        through_json(tmp_path / f"thing-{key}.json", lambda: (1,), list, _decode, 2)
    (tmp_path / "other-x.json").write_text("[]")
    assert len(list(tmp_path.glob("thing-*.json"))) == 2
    assert (tmp_path / "other-x.json").exists()
