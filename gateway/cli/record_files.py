"""Reading program records from files for `oneplan import`: JSON, NDJSON and CSV.

Every record keeps the line it starts on, so errors can name `file:line`. A line that can't
be parsed becomes a record whose `error` says why; reading goes on past it.

CSV has one record per row; a header like `care_plan.services.0.status` names a nested field
(numbers index lists), and an empty cell means the field is absent.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMATS = ("json", "ndjson", "csv")


@dataclass(frozen=True)
class SourceRecord:
    path: Path
    line: int
    data: Any = None
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def read_records(path: Path) -> Iterator[SourceRecord]:
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("ndjson", "jsonl"):
        return _ndjson(path, text)
    if suffix == "csv":
        return _csv(path, text)
    return _json(path, text)


def _ndjson(path: Path, text: str) -> Iterator[SourceRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _parsed(path, number, line)


def _parsed(path: Path, line: int, text: str) -> SourceRecord:
    try:
        return SourceRecord(path, line, json.loads(text))
    except json.JSONDecodeError as exc:
        return SourceRecord(path, line, error=f"not valid JSON: {exc.msg} (column {exc.colno})")


def _json(path: Path, text: str) -> Iterator[SourceRecord]:
    """A file holding one record object, or an array of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield SourceRecord(path, exc.lineno, error=f"not valid JSON: {exc.msg}")
        return
    if not isinstance(data, list):
        yield SourceRecord(path, 1, data)
        return
    yield from (SourceRecord(path, line, item)
                for line, item in zip(_element_lines(text), data, strict=True))


def _element_lines(text: str) -> list[int]:
    """The line each element of a top-level JSON array starts on."""
    decoder, lines = json.JSONDecoder(), list[int]()
    position = text.index("[") + 1
    while True:
        position = _skip(text, position, " \t\r\n,")
        if text[position] == "]":
            return lines
        lines.append(text.count("\n", 0, position) + 1)
        position = decoder.raw_decode(text, position)[1]


def _skip(text: str, position: int, chars: str) -> int:
    while text[position] in chars:
        position += 1
    return position


def _csv(path: Path, text: str) -> Iterator[SourceRecord]:
    reader = csv.DictReader(text.splitlines())
    for row in reader:
        try:
            yield SourceRecord(path, reader.line_num, _nested(row))
        except ValueError as exc:
            yield SourceRecord(path, reader.line_num, error=str(exc))


def _nested(row: dict[str, str | None]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for header, value in row.items():
        if header is None or value is None:
            raise ValueError("row has more cells than the header has columns")
        if value.strip():
            _put_column(record, header.strip(), value)
    return record


def _put_column(record: dict[str, Any], header: str, value: str) -> None:
    try:
        _put(record, header.split("."), value)
    except (TypeError, KeyError) as exc:
        raise ValueError(f"column {header!r} clashes with another column's shape") from exc


def _put(node: Any, keys: list[str], value: str) -> None:
    key: str | int = int(keys[0]) if keys[0].isdigit() else keys[0]
    if isinstance(key, int):
        node.extend([None] * (key + 1 - len(node)))
    if len(keys) == 1:
        node[key] = value
        return
    if (node.get(key) if isinstance(node, dict) else node[key]) is None:
        node[key] = [] if keys[1].isdigit() else {}
    _put(node[key], keys[1:], value)
