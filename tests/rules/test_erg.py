"""ERG Table 1 distances: imported at run time from the operator's copy, never shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.errors import InputError
from agent.rules.erg import (
    distances,
    load_table,
    parse_table1,
    parse_table2,
    parse_table3,
    table_path,
    with_tables,
)
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


TABLE3 = {
    "table": "TIH Table 3 - large spills",
    "units": {"isolation_distance": "meters", "protective_distance": "kilometers"},
    "chemicals": [
        {
            "un_number": "UN1017",
            "name": "Chlorine",
            "containers": [
                {"type": "Rail tank car", "initial_isolation_m": 1000,
                 "day_km": {"low_wind": 9.6, "moderate_wind": 6.3, "high_wind": 5.1},
                 "night_km": {"low_wind": 11.0, "moderate_wind": 8.9, "high_wind": 6.5}},
                {"type": "Highway tank truck or trailer", "initial_isolation_m": 600,
                 "day_km": {"low_wind": 5.6, "moderate_wind": 3.3, "high_wind": 2.5},
                 "night_km": {"low_wind": 6.4, "moderate_wind": 5.0, "high_wind": 3.9}},
            ],
        }
    ],
}
TABLE2 = {"1017": [{"guide_no": "124", "material_name": "Chlorine", "tih_gases": ["Cl2"]}],
          "1295": [{"guide_no": "139", "material_name": "Trichlorosilane", "tih_gases": ["HCl"]}]}


def test_a_large_spill_that_refers_to_table_3_gets_its_containers() -> None:
    table = with_tables(parse_table1({"1017": ROW}, "t1.json"), TABLE3, TABLE2)
    found = distances(table, "1017")
    assert found is not None
    assert found.large_spill is not None
    assert found.large_spill.startswith("by container, ERG Table 3 (below; wind low < 10 km/h")
    assert found.large_spill_by_container[0] == (
        "Rail tank car: isolate 1000 m; protect downwind 9.6 / 6.3 / 5.1 km by day, "
        "11.0 / 8.9 / 6.5 km by night (low / moderate / high wind)"
    )
    assert len(found.large_spill_by_container) == 2
    assert "Table 3" in found.source


def test_the_container_the_report_names_comes_first() -> None:
    table = with_tables(parse_table1({"1017": ROW}, "t1.json"), TABLE3, None)
    found = distances(table, "1017", transport_mode="road")
    assert found is not None
    assert found.large_spill_by_container[0].startswith("Highway tank truck or trailer:")


def test_water_reactive_materials_say_what_they_release() -> None:
    row = {**ROW, "material_name": "Trichlorosilane", "guide_no": "139"}
    table = with_tables(parse_table1({"1295": row}, "t1.json"), None, TABLE2)
    found = distances(table, "1295")
    assert found is not None
    assert found.water_reactive == "spilled in water it gives off HCl (toxic by inhalation)"
    assert "Table 2" in found.source


@pytest.mark.parametrize("data", [[], {"chemicals": "x"}, {"chemicals": [{"name": "x"}]}])
def test_a_file_that_is_not_table_3_is_a_typed_error(data: object) -> None:
    with pytest.raises(InputError):
        parse_table3(data, "bad3.json")


@pytest.mark.parametrize("data", [[], {"1295": "HCl"}, {"abc": []}])
def test_a_file_that_is_not_table_2_is_a_typed_error(data: object) -> None:
    with pytest.raises(InputError):
        parse_table2(data, "bad2.json")


@pytest.mark.skipif(not TABLE1.is_file(), reason="ERG 2024 text not available on this machine")
def test_the_folder_import_reads_tables_2_and_3_too() -> None:
    result = CliRunner().invoke(app, ["erg", "import", str(SHARED)])
    assert result.exit_code == 0, result.output
    assert "Table 2" in result.output and "Table 3" in result.output
    table = load_table(Settings().home)
    assert table is not None
    ammonia = distances(table, "1005")
    assert ammonia is not None and len(ammonia.large_spill_by_container) >= 3
    assert any(line.startswith("Rail tank car: isolate 300 m") for line in
               ammonia.large_spill_by_container)
