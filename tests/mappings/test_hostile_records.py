"""Program records made to hurt: values FHIR cannot hold, dates that cannot be, lists without
end. Each is one located issue of a ValidationFailed (422), never a crash."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gateway.devtools.golden import RECORDS
from mappings import birth_to_three, record
from mappings.registry import validate_record
from vocabulary.errors import ValidationFailed
from vocabulary.fhir import JSON


def raw(program: str, name: str) -> JSON:
    loaded: JSON = json.loads((RECORDS / program / "valid" / f"{name}.json").read_text("utf-8"))
    return loaded


def ifsp() -> JSON:
    return raw("birth-to-three", "sofia-initial")


def wrap() -> JSON:
    return raw("wrapct", "grace-okafor-transition")


def located(program: str, changed: JSON) -> list[str | None]:
    with pytest.raises(ValidationFailed) as caught:
        validate_record(program, changed)
    return [i.expression for i in caught.value.issues]


def test_a_meeting_in_year_9999_is_located_not_a_crash() -> None:
    changed = ifsp()
    changed["meeting_date"] = "9999-01-01"
    assert located("birth-to-three", changed) == ["meeting_date"]


def test_a_birth_date_in_year_9999_is_located() -> None:
    changed = ifsp()
    changed["child"]["date_of_birth"] = "9999-12-31"
    assert located("birth-to-three", changed) == ["child.date_of_birth"]


def test_a_birth_date_after_today_is_located_by_the_injected_clock() -> None:
    born = ifsp()["child"]["date_of_birth"]
    model = birth_to_three.IfspRecord
    model.model_validate(ifsp(), context={record.TODAY: lambda: date.fromisoformat(born)})
    with pytest.raises(ValueError, match="is after today"):
        model.model_validate(ifsp(), context={record.TODAY: lambda: date(2000, 1, 1)})


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_baseline_is_located_not_dropped(number: float) -> None:
    changed = wrap()
    changed["goals"][0]["indicators"][0]["baseline"] = number
    assert located("wrapct", changed) == ["goals[0].indicators[0].baseline"]


def test_a_priority_beyond_32_bits_is_located() -> None:
    changed = wrap()
    changed["needs"][0]["priority"] = 2**64
    assert located("wrapct", changed) == ["needs[0].priority"]


def test_the_largest_32_bit_priority_is_accepted() -> None:
    changed = wrap()
    changed["needs"][0]["priority"] = 2**31 - 1
    validate_record("wrapct", changed)


@pytest.mark.parametrize("text", ["Sofia\x00", "So\x1bfia", "\x7fSofia\x07"])
def test_a_control_character_in_a_name_is_located(text: str) -> None:
    changed = ifsp()
    changed["child"]["first_name"] = text
    assert located("birth-to-three", changed) == ["child.first_name"]


def test_a_control_character_in_a_list_of_strings_names_the_entry() -> None:
    changed = ifsp()
    changed["transition"]["steps"] = ["Visit the school", "Call\x00"]
    with pytest.raises(ValidationFailed) as caught:
        validate_record("birth-to-three", changed)
    [issue] = caught.value.issues
    assert issue.expression == "transition.steps"
    assert "item 1" in issue.diagnostics


def test_tab_and_newlines_are_allowed_in_text() -> None:
    changed = ifsp()
    changed["present_levels"]["physical"] = "Walks\twith support.\r\nClimbs stairs."
    validate_record("birth-to-three", changed)


def test_a_list_longer_than_any_plan_needs_is_located() -> None:
    changed = ifsp()
    changed["transition"]["steps"] = [f"Step {n}" for n in range(record.MAX_ENTRIES + 1)]
    assert located("birth-to-three", changed) == ["transition.steps"]
