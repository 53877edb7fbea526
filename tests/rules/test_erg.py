"""ERG Table 1 distances: imported at run time from the operator's copy, never shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.errors import InputError
from agent.rules.erg import distances, load_table, parse_table1, table_path
from agent.settings import Settings

SHARED = Path("/work/shared/data/erg2024-text")
TABLE1 = SHARED / "green_table_1.json"

ROW = {
    "guide_no": "124",
    "material_name": "Chlorine",
    "small_spill": {
        "isolation_distance": "60 m (200 ft)",
        "protect_day": "0.3 km (0.2 mi)",
        "protect_night": "1.5 km (0.9 mi)",
    },
    "large_spill": {"note": "Refer to Table 3"},
}


def test_no_table_means_no_distances_and_no_error(tmp_path: Path) -> None:
    assert load_table(tmp_path) is None
    assert distances(None, "1017") is None


def test_distances_name_their_source() -> None:
    table = parse_table1({"1017": ROW}, "my-copy.json")
    found = distances(table, "1017")
    assert found is not None
    assert found.small_spill is not None and "60 m (200 ft)" in found.small_spill
    assert found.large_spill == "Refer to Table 3"
    assert "ERG 2024" in found.source and "my-copy.json" in found.source
    assert distances(table, "9999") is None


@pytest.mark.parametrize("data", [[], {}, {"chlorine": ROW}, {"1017": "60 m"}])
def test_a_file_that_is_not_table_1_is_a_typed_error(data: object) -> None:
    with pytest.raises(InputError):
        parse_table1(data, "bad.json")


def test_a_bad_import_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a table"}', encoding="utf-8")
    result = CliRunner().invoke(app, ["erg", "import", str(bad)])
    assert result.exit_code == 2
    assert not table_path(Settings().home).exists()


@pytest.mark.skipif(not TABLE1.is_file(), reason="ERG 2024 text not available on this machine")
def test_import_the_shared_copy_and_read_chlorine() -> None:
    result = CliRunner().invoke(app, ["erg", "import", str(SHARED)])
    assert result.exit_code == 0, result.output
    table = load_table(Settings().home)
    assert table is not None and len(table.rows) > 200
    chlorine = distances(table, "1017")
    assert chlorine is not None and chlorine.material == "Chlorine"
    assert chlorine.guide == "124"
