"""Reading records from JSON, NDJSON and CSV files, each with the line it starts on."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.cli.record_files import read_records


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ndjson_keeps_line_numbers_and_reports_bad_lines(tmp_path: Path) -> None:
    text = '{"record_id": "a"}\n\n{"record_id": \n{"record_id": "c"}\n'
    path = write(tmp_path / "r.ndjson", text)
    records = list(read_records(path))
    assert [(r.line, r.data) for r in records if r.error is None] == [
        (1, {"record_id": "a"}), (4, {"record_id": "c"})]
    bad = [r for r in records if r.error is not None]
    assert [(r.line, r.where) for r in bad] == [(3, f"{path}:3")]
    assert "not valid JSON" in str(bad[0].error)


def test_json_array_elements_start_on_their_own_lines(tmp_path: Path) -> None:
    records = [{"record_id": "a", "n": [1, 2]}, {"record_id": "b"}]
    path = write(tmp_path / "r.json", json.dumps(records, indent=2))
    read = list(read_records(path))
    assert [r.data for r in read] == records
    assert [r.line for r in read] == [2, 9]


def test_json_object_file_is_one_record(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", '{"record_id": "a"}')
    assert [(r.line, r.data) for r in read_records(path)] == [(1, {"record_id": "a"})]


def test_broken_json_file_is_one_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", '[\n{"record_id": "a"},\n{"record_id" "b"}\n]')
    [record] = read_records(path)
    assert (record.line, record.data) == (3, None)
    assert "Expecting ':'" in str(record.error)


def test_csv_headers_name_nested_fields_and_lists(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv",
                 "record_id,child.name,services.0.code,services.1.code,tags.0,note\n"
                 "a,Mateo,aud,dent,x,\n"
                 "b,Sofia,,,,hi\n")
    records = list(read_records(path))
    assert [(r.line, r.data) for r in records] == [
        (2, {"record_id": "a", "child": {"name": "Mateo"},
             "services": [{"code": "aud"}, {"code": "dent"}], "tags": ["x"]}),
        (3, {"record_id": "b", "child": {"name": "Sofia"}, "note": "hi"})]


def test_csv_row_with_too_many_cells_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "record_id,a\nx,1\ny,2,3\n")
    records = list(read_records(path))
    assert records[0].data == {"record_id": "x", "a": "1"}
    assert (records[1].line, records[1].error) == (
        3, "row has more cells than the header has columns")
