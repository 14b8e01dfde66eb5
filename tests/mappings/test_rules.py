"""Record rules beyond the schema, at their boundaries."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from gateway.devtools.golden import RECORDS
from mappings import birth_to_three, rules


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 8, 19), 6, date(2027, 2, 19)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2026, 12, 5), 1, date(2027, 1, 5)),
    (date(2026, 9, 2), -9, date(2025, 12, 2)),
])
def test_add_months(day: date, months: int, expected: date) -> None:
    assert rules.add_months(day, months) == expected


def ifsp(**transition: str) -> birth_to_three.IfspRecord:
    raw: dict[str, Any] = json.loads(
        (RECORDS / "birth-to-three" / "valid" / "sofia-initial.json").read_text("utf-8"))
    raw["transition"].update(transition)
    return birth_to_three.IfspRecord.model_validate(raw)


@pytest.mark.parametrize(("conference", "issues"), [
    ("2026-06-04", 0),  # exactly 90 days before Sofia's third birthday (2026-09-02)
    ("2026-06-05", 1),
    ("2025-12-02", 0),  # exactly nine months before
    ("2025-12-01", 1),
])
def test_transition_conference_window(conference: str, issues: int) -> None:
    found = [i for i in birth_to_three.check(ifsp(conference_date=conference))
             if i.expression == "transition.conference_date"]
    assert len(found) == issues


def test_unique_ids_reports_each_repeat_at_its_index() -> None:
    record = ifsp()
    services = [*record.services, record.services[0]]
    assert [i.expression for i in rules.unique_ids(services, "services")] == ["services[2].id"]
