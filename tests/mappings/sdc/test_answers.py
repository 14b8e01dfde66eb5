"""Answers: value[x] of the item's type, well formed, one unless the item repeats, never empty;
choices among the answerOptions or in the answerValueSet."""

from __future__ import annotations

from typing import Any

import pytest

from mappings.sdc import Terminology, UnknownValueSet
from tests.mappings.sdc.builders import (
    JSON,
    SYSTEM,
    at,
    coding,
    found,
    issues,
    option,
    question,
    questionnaire,
    reply,
    response,
    string,
)

A0 = at("q") + ".answer[0]"
GOOD: list[tuple[str, JSON]] = [
    ("boolean", {"valueBoolean": False}),
    ("decimal", {"valueDecimal": 2.5}),
    ("decimal", {"valueDecimal": 2}),
    ("integer", {"valueInteger": -3}),
    ("date", {"valueDate": "2024-02-29"}),
    ("date", {"valueDate": "2024-02"}),
    ("dateTime", {"valueDateTime": "2024-02-29T10:15:00.5-05:00"}),
    ("dateTime", {"valueDateTime": "2024"}),
    ("time", {"valueTime": "23:59:59"}),
    ("string", {"valueString": "Ana"}),
    ("text", {"valueString": "Line one\nline two"}),
    ("url", {"valueUri": "https://example.org/a"}),
    ("attachment", {"valueAttachment": {"contentType": "text/plain", "data": "aGk="}}),
    ("reference", {"valueReference": {"reference": "Patient/1"}}),
    ("quantity", {"valueQuantity": {"value": 3, "unit": "kg"}}),
]
WRONG_TYPE: list[tuple[str, JSON]] = [
    ("boolean", {"valueString": "true"}),
    ("decimal", {"valueInteger": 2}),
    ("integer", {"valueDecimal": 2.0}),
    ("date", {"valueDateTime": "2024-01-01T00:00:00Z"}),
    ("dateTime", {"valueDate": "2024-01-01"}),
    ("time", {"valueString": "10:00:00"}),
    ("string", {"valueCoding": {"system": SYSTEM, "code": "red"}}),
    ("text", {"valueInteger": 1}),
    ("url", {"valueString": "https://example.org"}),
    ("choice", {"valueString": "red"}),
    ("attachment", {"valueReference": {"reference": "Binary/1"}}),
    ("reference", {"valueUri": "Patient/1"}),
    ("quantity", {"valueDecimal": 3}),
]
MALFORMED: list[tuple[str, JSON]] = [
    ("boolean", {"valueBoolean": "true"}),
    ("decimal", {"valueDecimal": True}),
    ("decimal", {"valueDecimal": float("nan")}),
    ("integer", {"valueInteger": 1.5}),
    ("integer", {"valueInteger": 2**31}),
    ("date", {"valueDate": "2024-13-01"}),
    ("date", {"valueDate": "2023-02-29"}),
    ("date", {"valueDate": "01/02/2024"}),
    ("dateTime", {"valueDateTime": "2024-01-01T10:00:00"}),
    ("time", {"valueTime": "24:00:00"}),
    ("string", {"valueString": " "}),
    ("string", {"valueString": 7}),
    ("url", {"valueUri": "a b"}),
    ("reference", {"valueReference": "Patient/1"}),
    ("reference", {"valueReference": {"reference": 1}}),
    ("quantity", {"valueQuantity": {"value": "3", "unit": "kg"}}),
    ("choice", {"valueCoding": {"system": SYSTEM, "code": 5}}),
]


def one(kind: str, **fields: Any) -> JSON:
    return questionnaire(question("q", kind, **fields))


@pytest.mark.parametrize(("kind", "answer"), GOOD)
def test_an_answer_of_the_item_type_is_accepted(kind: str, answer: JSON) -> None:
    assert found(one(kind), response(reply("q", answer))) == []


@pytest.mark.parametrize(("kind", "answer"), WRONG_TYPE)
def test_an_answer_of_another_type_is_refused(kind: str, answer: JSON) -> None:
    assert found(one(kind), response(reply("q", answer))) == [(A0, "structure")]


@pytest.mark.parametrize(("kind", "answer"), MALFORMED)
def test_a_malformed_value_is_refused(kind: str, answer: JSON) -> None:
    assert found(one(kind), response(reply("q", answer))) == [(A0, "value")]


def test_wrong_type_diagnostics_name_the_types_the_item_takes() -> None:
    [issue] = issues(one("date", text="Date of birth"), response(reply("q", string("today"))))
    assert issue.diagnostics == (
        "Item 'q' (Date of birth) is a date question: it takes valueDate, not valueString")


def test_wrong_type_diagnostics_read_well_before_a_vowel() -> None:
    [issue] = issues(one("integer"), response(reply("q", string("3"))))
    assert issue.diagnostics == (
        "Item 'q' is an integer question: it takes valueInteger, not valueString")


def test_only_a_repeating_question_has_several_answers() -> None:
    two = response(reply("q", string("a"), string("b")))
    assert found(one("string"), two) == [(at("q") + ".answer[1]", "structure")]
    assert found(one("string", repeats=True), two) == []


def test_an_answer_needs_exactly_one_value() -> None:
    answers = response(reply("q", {}, {"valueString": "a", "valueInteger": 1}))
    assert found(one("string", repeats=True), answers) == [
        (A0, "required"), (at("q") + ".answer[1]", "structure")]


OPTIONS = [option("red", "Red"), option("blue", "Blue")]


@pytest.mark.parametrize(("answer", "expected"), [
    (coding("red", "Red"), []),
    (coding("red"), []),
    (coding("green", "Green"), [(A0, "code-invalid")]),
    (coding("red", "Rouge"), [(A0, "code-invalid")]),
    (coding("red", "Red", system=None), [(A0, "code-invalid")]),
    (coding("red", "Red", system="http://example.org/other"), [(A0, "code-invalid")]),
    ({"valueCoding": {"system": SYSTEM, "display": "Red"}}, [(A0, "code-invalid")]),
])
def test_a_choice_is_one_of_the_answer_options(answer: JSON, expected: list[Any]) -> None:
    assert found(one("choice", answerOption=OPTIONS), response(reply("q", answer))) == expected


def test_a_wrong_display_says_which_display_is_right() -> None:
    form = one("choice", answerOption=OPTIONS)
    [issue] = issues(form, response(reply("q", coding("red", "Rot"))))
    assert issue.diagnostics == (f"Answer {SYSTEM}|red to item 'q' has display 'Rot'; the code's "
                                 "display is 'Red'")


def test_open_choice_takes_an_option_or_free_text() -> None:
    form = one("open-choice", answerOption=OPTIONS, repeats=True)
    answers = response(reply("q", coding("blue"), string("teal"), coding("teal")))
    assert found(form, answers) == [(at("q") + ".answer[2]", "code-invalid")]


def test_options_of_other_types_are_compared_by_value() -> None:
    form = one("choice", answerOption=[{"valueInteger": 1}, {"valueInteger": 2}], repeats=True)
    answers = response(reply("q", {"valueInteger": 2}, {"valueInteger": 3}, coding("red")))
    assert found(form, answers) == [(at("q") + ".answer[1]", "code-invalid"),
                                    (at("q") + ".answer[2]", "structure")]


COLOURS = Terminology.from_resources([{
    "resourceType": "ValueSet", "url": "http://example.org/fhir/ValueSet/colour",
    "compose": {"include": [{"system": SYSTEM, "concept": [
        {"code": "red", "display": "Red"}, {"code": "blue", "display": "Blue"}]}]},
}])


@pytest.mark.parametrize(("answer", "expected"), [
    (coding("red", "Red"), []),
    (coding("blue"), []),
    (coding("green"), [(A0, "code-invalid")]),
    (coding("red", "Scarlet"), [(A0, "code-invalid")]),
    (coding("red", system=None), [(A0, "code-invalid")]),
])
def test_a_choice_is_in_the_answer_value_set(answer: JSON, expected: list[Any]) -> None:
    form = one("choice", answerValueSet="http://example.org/fhir/ValueSet/colour")
    assert found(form, response(reply("q", answer)), COLOURS) == expected


def test_an_unknown_answer_value_set_is_an_error_of_the_server() -> None:
    form = one("choice", answerValueSet="http://example.org/fhir/ValueSet/nope")
    with pytest.raises(UnknownValueSet, match="ValueSet/nope"):
        found(form, response(reply("q", coding("red"))), COLOURS)
