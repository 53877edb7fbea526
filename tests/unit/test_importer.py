from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.errors import ImportMappingError, InputError
from agent.store.importer import (
    MAX_TEXT_CHARS,
    generated_id,
    import_records,
    parse_datetime,
    split_actions,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
CSV_MAP = {
    "id": "Ref",
    "title": "Name",
    "occurred_at": "When",
    "summary": "What happened",
    "resolution": "What we did",
    "actions": "What we did",
    "site": "Site",
}
CSV_DEFAULTS = {"category": "IND.toxic_release", "severity": "S3", "outcome": "unknown"}
JSONL_MAP = {
    "id": "key",
    "title": "title",
    "occurred_at": "time",
    "summary": "summary",
    "resolution": "mitigation.details",
    "actions": "mitigation.label",
    "source": "links",
}
JSONL_DEFAULTS = {"category": "CYB.it_ot_outage", "severity": "S2", "outcome": "unknown"}


def test_csv_import_maps_columns_and_collects_bad_rows() -> None:
    result = import_records(FIXTURES / "small.csv", "csv", CSV_MAP, CSV_DEFAULTS)
    assert result.rows == 4
    assert [i.id for i in result.incidents] == ["R-1", "R-2"]
    chlorine = result.incidents[0]
    assert chlorine.occurred_at == datetime(2022, 6, 1, 14, 5, tzinfo=UTC)
    assert [a.text for a in chlorine.actions] == [
        "Evacuated the area.",
        "Closed the tank valve.",
        "Called the fire brigade.",
    ]
    assert all(a.action_type is None for a in chlorine.actions)
    assert chlorine.site == "PLANT-B"
    assert chlorine.outcome == "unknown"
    assert chlorine.source == "small.csv row 1"
    assert chlorine.marking == "internal"
    assert result.incidents[1].site is None
    errors = {e.row: e for e in result.errors}
    assert sorted(errors) == [3, 4]
    assert "occurred_at: cannot read 'sometime in May'" in errors[3].message
    assert errors[4].message == "summary: Field required"
    assert str(errors[4]) == "row 4 (line 6): summary: Field required"


def test_default_fills_blank_cells() -> None:
    defaults = {**CSV_DEFAULTS, "summary": "(no narrative)", "marking": "public"}
    result = import_records(FIXTURES / "small.csv", "csv", CSV_MAP, defaults)
    assert [i.id for i in result.incidents] == ["R-1", "R-2", "R-4"]
    assert result.incidents[2].summary == "(no narrative)"
    assert {i.marking for i in result.incidents} == {"public"}


def test_strict_aborts_on_any_bad_row() -> None:
    with pytest.raises(InputError, match=r"2 bad row\(s\); nothing imported") as caught:
        import_records(FIXTURES / "small.csv", "csv", CSV_MAP, CSV_DEFAULTS, strict=True)
    assert "row 3 (line 5): occurred_at" in str(caught.value)


def test_jsonl_dotted_paths_and_joined_lists() -> None:
    result = import_records(FIXTURES / "small.jsonl", "jsonl", JSONL_MAP, JSONL_DEFAULTS)
    assert result.rows == 4
    assert [i.id for i in result.incidents] == ["pm-1", "pm-2"]
    first = result.incidents[0]
    assert first.resolution == "Froze automatic failover and restarted the primary."
    assert [a.text for a in first.actions] == ["freeze failover", "restart primary"]
    assert first.source == "https://example.org/pm-1; https://example.org/pm-1b"
    assert first.occurred_at == datetime(2021, 3, 14, tzinfo=UTC)
    assert result.incidents[1].source == "small.jsonl row 2"
    messages = {e.row: e.message for e in result.errors}
    assert messages == {3: "resolution: Field required", 4: "invalid JSON: Expecting value"}
    assert [e.line for e in result.errors] == [4, 5]


def test_unmapped_id_is_generated_deterministically() -> None:
    mapping = {k: v for k, v in CSV_MAP.items() if k != "id"}
    once = import_records(FIXTURES / "small.csv", "csv", mapping, CSV_DEFAULTS)
    twice = import_records(FIXTURES / "small.csv", "csv", mapping, CSV_DEFAULTS)
    ids = [i.id for i in once.incidents]
    assert ids == [i.id for i in twice.incidents]
    assert ids[0] == generated_id(FIXTURES / "small.csv", 1)
    assert ids[0].startswith("small-") and len(set(ids)) == len(ids)


def test_mapping_to_an_absent_column_names_it_and_lists_the_others() -> None:
    mapping = {**CSV_MAP, "summary": "What happend"}
    with pytest.raises(ImportMappingError) as caught:
        import_records(FIXTURES / "small.csv", "csv", mapping, CSV_DEFAULTS)
    message = str(caught.value)
    assert "no column 'What happend' (for summary), did you mean 'What happened'?" in message
    assert "available columns: Ref, Name, When, What happened, What we did, Site" in message
    assert caught.value.exit_code == 4


def test_jsonl_absent_dotted_path_lists_nested_columns() -> None:
    mapping = {**JSONL_MAP, "resolution": "mitigation.detail"}
    with pytest.raises(ImportMappingError, match=r"mitigation\.details"):
        import_records(FIXTURES / "small.jsonl", "jsonl", mapping, JSONL_DEFAULTS)


@pytest.mark.parametrize(
    ("mapping", "defaults", "match"),
    [
        ({**CSV_MAP, "narrative": "What happened"}, CSV_DEFAULTS, "unknown incident field"),
        (CSV_MAP, {**CSV_DEFAULTS, "id": "x"}, "'id' cannot have a default"),
        (CSV_MAP, {"severity": "S3"}, r"required field\(s\) category, outcome"),
    ],
)
def test_mapping_errors(mapping: dict[str, str], defaults: dict[str, str], match: str) -> None:
    with pytest.raises(ImportMappingError, match=match):
        import_records(FIXTURES / "small.csv", "csv", mapping, defaults)


def test_text_over_the_limit_rejects_the_row(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long = "x" * (MAX_TEXT_CHARS + 1)
    path.write_text(
        f"Ref,Name,When,What happened,What we did,Site\n"
        f"L-1,Long,2022-01-01,{long},Done.,\nL-2,Short,2022-01-02,Ok.,Done.,\n"
    )
    result = import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)
    assert [i.id for i in result.incidents] == ["L-2"]
    assert result.errors[0].row == 1
    assert "summary: 20,001 characters, over the 20,000 limit" in result.errors[0].message


def test_non_utf8_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Ref,Name\nR-1,Fuite d'ammoniac à l'entrepôt\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.csv is not UTF-8 \(byte 0xe0 on line 2\)"):
        import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        import_records(tmp_path / "nope.csv", "csv", CSV_MAP, CSV_DEFAULTS)


def test_bom_spaces_after_commas_and_html_breaks(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        '\ufeff"Ref", "Name", "When", "What happened", "What we did", "Site"\n'
        '"E-1", "Gas leak", "12/31/2021 23:59", "Smell.<br/><br/>Alarm.", '
        '"Shut valve &amp; vented.<br>Called 112.", "P"\n',
        encoding="utf-8",
    )
    result = import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)
    assert not result.errors
    incident = result.incidents[0]
    assert incident.summary == "Smell.\n\nAlarm."
    assert [a.text for a in incident.actions] == ["Shut valve & vented.", "Called 112."]


def test_duplicate_ids_and_too_many_values(tmp_path: Path) -> None:
    path = tmp_path / "dups.csv"
    path.write_text(
        "Ref,Name,When,What happened,What we did,Site\n"
        "D-1,A,2022-01-01,Ok.,Done.,\nD-1,B,2022-01-02,Ok.,Done.,\n"
        "D 3,C,2022-01-03,Ok.,Done.,,extra\nD 4,D,2022-01-04,Ok.,Done.,,\n"
    )
    result = import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)
    assert [i.id for i in result.incidents] == ["D-1", "D-4"]
    assert [str(e) for e in result.errors] == [
        "row 2 (line 3): duplicate id 'D-1' (already used by row 1)",
        "row 3 (line 4): 7 values for 6 columns (a quoting problem?)",
    ]


def test_header_only_csv_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("Ref,Name,When,What happened,What we did,Site\n")
    result = import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)
    assert result.incidents == [] and result.errors == [] and result.rows == 0
    path.write_text("")
    with pytest.raises(InputError, match="needs a header row"):
        import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)


@pytest.mark.parametrize(
    ("raw", "date_format", "expected"),
    [
        ("2021-03-04", None, datetime(2021, 3, 4, tzinfo=UTC)),
        ("2021-03-04T05:06:07Z", None, datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)),
        ("2021-03-04 05:06+02:00", None, datetime(2021, 3, 4, 3, 6, tzinfo=UTC)),
        ("03/04/2021", None, datetime(2021, 3, 4, tzinfo=UTC)),
        ("9/2/2021", None, datetime(2021, 9, 2, tzinfo=UTC)),
        ("03/04/2021 17:30", None, datetime(2021, 3, 4, 17, 30, tzinfo=UTC)),
        ("03/04/2021 5:30 PM", None, datetime(2021, 3, 4, 17, 30, tzinfo=UTC)),
        ("4 June 2021", None, datetime(2021, 6, 4, tzinfo=UTC)),
        ("03/04/2021", "%d/%m/%Y", datetime(2021, 4, 3, tzinfo=UTC)),
        (1_600_000_000, None, datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)),
    ],
)
def test_parse_datetime(raw: object, date_format: str | None, expected: datetime) -> None:
    assert parse_datetime(raw, date_format) == expected


def test_date_format_option_applies_to_the_import(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_text(
        "Ref,Name,When,What happened,What we did,Site\n"
        "E-1,A,13/04/2021,Ok.,Done.,\nE-2,B,2021-04-13,Ok.,Done.,\n"
    )
    us = import_records(path, "csv", CSV_MAP, CSV_DEFAULTS)
    assert [e.row for e in us.errors] == [1]
    eu = import_records(path, "csv", CSV_MAP, CSV_DEFAULTS, date_format="%d/%m/%Y")
    assert eu.incidents[0].occurred_at == datetime(2021, 4, 13, tzinfo=UTC)
    assert "tried %d/%m/%Y" in eu.errors[0].message


def test_split_actions() -> None:
    text = "- Evacuated. Closed the valve!\n2) Called the brigade; it came\n\nok"
    assert split_actions(text) == ["Evacuated.", "Closed the valve!", "Called the brigade; it came"]
