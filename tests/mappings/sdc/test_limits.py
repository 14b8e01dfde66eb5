"""Limits on answers: maxLength, minLength, regex, minValue, maxValue, referenceResource."""

from __future__ import annotations

from typing import Any

import pytest

from mappings.sdc import InvalidQuestionnaire
from tests.mappings.sdc.builders import (
    JSON,
    at,
    found,
    issues,
    question,
    questionnaire,
    reply,
    response,
)

EXT = "http://hl7.org/fhir/StructureDefinition/"
A0 = at("q") + ".answer[0]"


def limited(kind: str, *extensions: JSON, **fields: Any) -> JSON:
    return questionnaire(question("q", kind, extension=list(extensions), **fields))


def check(form: JSON, answer: JSON) -> list[tuple[str | None, str | None]]:
    return found(form, response(reply("q", answer)))


@pytest.mark.parametrize(("text", "expected"), [("abcd", []), ("abcde", [(A0, "value")])])
def test_max_length(text: str, expected: list[Any]) -> None:
    assert check(limited("string", maxLength=4), {"valueString": text}) == expected


@pytest.mark.parametrize(("text", "expected"), [("ab", []), ("a", [(A0, "value")])])
def test_min_length(text: str, expected: list[Any]) -> None:
    form = limited("string", {"url": EXT + "minLength", "valueInteger": 2})
    assert check(form, {"valueString": text}) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("123456789", []), ("12345678", [(A0, "value")]), ("123456789\n", [(A0, "value")]),
    ("a23456789", [(A0, "value")]),
])
def test_regex(text: str, expected: list[Any]) -> None:
    form = limited("string", {"url": EXT + "regex", "valueString": "^[0-9]{9}$"})
    assert check(form, {"valueString": text}) == expected


def test_regex_diagnostics_show_the_answer_and_the_pattern() -> None:
    form = limited("string", {"url": EXT + "regex", "valueString": "[0-9]{10}"}, text="NPI")
    [issue] = issues(form, response(reply("q", {"valueString": "12"})))
    assert issue.diagnostics == "Answer to item 'q' (NPI) '12' does not match the pattern [0-9]{10}"


def test_an_invalid_regex_is_a_broken_questionnaire() -> None:
    form = limited("string", {"url": EXT + "regex", "valueString": "[0-9"})
    with pytest.raises(InvalidQuestionnaire, match="invalid regex"):
        check(form, {"valueString": "1"})


@pytest.mark.parametrize(("kind", "bounds", "answer", "expected"), [
    ("integer", ({"valueInteger": 0}, {"valueInteger": 100}), {"valueInteger": 0}, []),
    ("integer", ({"valueInteger": 0}, {"valueInteger": 100}), {"valueInteger": 100}, []),
    ("integer", ({"valueInteger": 0}, {"valueInteger": 100}), {"valueInteger": -1}, ["value"]),
    ("integer", ({"valueInteger": 0}, {"valueInteger": 100}), {"valueInteger": 101}, ["value"]),
    ("decimal", ({"valueDecimal": 0.5}, {"valueDecimal": 1.5}), {"valueDecimal": 1.51}, ["value"]),
    ("decimal", ({"valueInteger": 1}, {"valueInteger": 2}), {"valueDecimal": 1.5}, []),
    ("date", ({"valueDate": "2000-01-01"}, {"valueDate": "2030-12-31"}),
     {"valueDate": "1999-12-31"}, ["value"]),
    ("date", ({"valueDate": "2000-01-01"}, {"valueDate": "2030-12-31"}),
     {"valueDate": "2031-01-01"}, ["value"]),
    ("date", ({"valueDate": "2000-01-01"}, {"valueDate": "2030-12-31"}),
     {"valueDate": "2030-12"}, []),
])
def test_min_and_max_value(kind: str, bounds: tuple[JSON, JSON], answer: JSON,
                           expected: list[str]) -> None:
    form = limited(kind, {"url": EXT + "minValue", **bounds[0]},
                   {"url": EXT + "maxValue", **bounds[1]})
    assert check(form, answer) == [(A0, code) for code in expected]


def test_a_bound_of_another_type_is_a_broken_questionnaire() -> None:
    form = limited("integer", {"url": EXT + "minValue", "valueDate": "2020-01-01"})
    with pytest.raises(InvalidQuestionnaire, match="minimum"):
        check(form, {"valueInteger": 1})


@pytest.mark.parametrize(("reference", "expected"), [
    ({"reference": "ServiceRequest/abc"}, []),
    ({"reference": "https://ehr.example.org/fhir/ServiceRequest/abc-1"}, []),
    ({"reference": "ServiceRequest/abc/_history/2", "type": "ServiceRequest"}, []),
    ({"reference": "Patient/abc"}, ["value"]),
    ({"reference": "ServiceRequest/abc", "type": "Task"}, ["value"]),
    ({"display": "The referral"}, ["value"]),
    ({"reference": "#sr"}, ["value"]),
])
def test_a_reference_answer_refers_to_the_resource_type_the_item_names(
        reference: JSON, expected: list[str]) -> None:
    form = limited("reference", {"url": EXT + "questionnaire-referenceResource",
                                 "valueCode": "ServiceRequest"})
    assert check(form, {"valueReference": reference}) == [(A0, code) for code in expected]
