"""The check before extraction: what it refuses whatever the Questionnaire says, and that
hostile shapes get a located answer rather than a crash."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gateway.devtools.green_form_golden import questionnaire, terminology
from mappings.green_form import check
from tests.mappings.green_form.helpers import answer, form
from vocabulary.errors import TooComplex, ValidationFailed

BIRTH = "QuestionnaireResponse.item.where(linkId='child').item.where(linkId='child.birth-date')"


def checked_on(response: dict[str, Any], today: date) -> Any:
    return check.checked(response, questionnaire(), terminology(), today)


def test_a_child_born_after_the_day_of_the_check_is_refused_at_the_birth_date() -> None:
    sofia = answer(form("sofia-rivera-family-therapy"), "child.birth-date",
                   {"valueDate": "2026-09-02"})
    with pytest.raises(ValidationFailed) as caught:
        checked_on(sofia, date(2026, 9, 1))
    assert [i.expression for i in caught.value.issues] == [BIRTH]
    assert checked_on(sofia, date(2026, 9, 2)).child.birth_date == "2026-09-02"


def test_items_nested_far_deeper_than_the_form_are_too_complex_not_a_crash() -> None:
    deep: dict[str, Any] = {"linkId": "x"}
    for _ in range(130):
        deep = {"linkId": "x", "item": [deep]}
    mateo = form("mateo-rivera-anxiety")
    with pytest.raises(TooComplex):
        checked_on({**mateo, "item": [*mateo["item"], deep]}, date(2026, 9, 1))
