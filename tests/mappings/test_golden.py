"""Each fixture record's whole output equals its golden file (no masking: ids are
deterministic and nothing depends on the clock). Regenerate deliberately with
`fixtures/records/regenerate.py`."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from gateway.devtools.golden import Case, render
from mappings.registry import PROGRAMS
from tests.mappings.helpers import CASES, case_id


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_output_equals_golden(case: Case) -> None:
    expected = json.loads(case.expected.read_text(encoding="utf-8"))
    assert render(case.program, case.raw()) == expected


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_valid_records_map_and_invalid_ones_fail(case: Case) -> None:
    kind = render(case.program, case.raw())["resourceType"]
    assert kind == ("Bundle" if case.valid else "OperationOutcome")


def test_every_program_has_enough_fixtures() -> None:
    valid = Counter(c.program for c in CASES if c.valid)
    invalid = Counter(c.program for c in CASES if not c.valid)
    assert {p: (valid[p] >= 4, invalid[p] >= 5) for p in PROGRAMS} == {
        p: (True, True) for p in PROGRAMS}


def test_invalid_records_point_at_a_record_field() -> None:
    without = [c.name for c in CASES if not c.valid and c.record.stem != "not-an-object"
               and any("expression" not in i for i in render(c.program, c.raw())["issue"])]
    assert without == []
