"""Golden outputs of the fixture records in `fixtures/records/<program>/{valid,invalid}/`.

A valid record's golden output is its whole collection Bundle; an invalid record's is the
OperationOutcome the intake would answer with. `fixtures/records/regenerate.py` rewrites them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mappings.registry import map_bundle
from vocabulary.data import package_dir
from vocabulary.errors import OnePlanError
from vocabulary.outcome import operation_outcome

RECORDS = package_dir("fixtures") / "records"
EXPECTED = ".expected.json"


@dataclass(frozen=True)
class Case:
    program: str
    valid: bool
    record: Path

    @property
    def expected(self) -> Path:
        return self.record.with_name(self.record.stem + EXPECTED)

    @property
    def name(self) -> str:
        return f"{self.program}/{self.record.parent.name}/{self.record.stem}"

    def raw(self) -> Any:
        return json.loads(self.record.read_text(encoding="utf-8"))


def cases() -> Iterator[Case]:
    for path in sorted(RECORDS.glob("*/*/*.json")):
        if not path.name.endswith(EXPECTED):
            yield Case(path.parent.parent.name, path.parent.name == "valid", path)


def render(program: str, raw: Any) -> dict[str, Any]:
    """The Bundle a record maps to, or the OperationOutcome of why it can't be."""
    try:
        bundle = map_bundle(program, raw)
    except OnePlanError as error:
        return operation_outcome(error)
    return bundle


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_all() -> int:
    count = 0
    for case in cases():
        case.expected.write_text(dumps(render(case.program, case.raw())), encoding="utf-8")
        count += 1
    return count


def copies(program: str, count: int) -> list[dict[str, Any]]:
    """`count` valid records of a program for bulk runs: the valid fixtures in turn, each
    with a fresh record id of the program's own shape, counting down from the largest."""
    valid = [case.raw() for case in cases() if case.valid and case.program == program]
    return [_another_child({**valid[n % len(valid)],
                            "record_id": _fresh_id(valid[0]["record_id"], n)}, n)
            for n in range(count)]


def _another_child(record: dict[str, Any], n: int) -> dict[str, Any]:
    """The copy is about a child of its own: a HUSKY id of its own and no MRN, so the
    identity index tells the copies apart (the fixtures' children share names)."""
    digest = hashlib.sha256(f"{n}|{record['record_id']}".encode()).hexdigest()
    husky = "9" + str(int(digest, 16))[-8:]
    child = {k: v for k, v in record["child"].items() if k != "mrn"}
    return {**record, "child": {**child, "husky_id": husky}}


def _fresh_id(template: str, n: int) -> str:
    prefix, _, digits = template.rpartition("-")
    return f"{prefix}-{10 ** len(digits) - 1 - n:0{len(digits)}d}"
