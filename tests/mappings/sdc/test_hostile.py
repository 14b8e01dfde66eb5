"""Responses made to hurt the validator: too deep, too large, repeated without end, or holding
values no FHIR primitive can. Each gets a located issue, never an exception the gateway would
answer with a 500, and the time spent grows with the size of the response, not its square."""

from __future__ import annotations

import time
from typing import Any

import pytest

from gateway.devtools.green_form_golden import questionnaire as green_form
from gateway.devtools.green_form_golden import terminology
from mappings.sdc import repeats, shape, validate_response
from tests.mappings.green_form.helpers import form, item
from tests.mappings.sdc.builders import (
    JSON,
    at,
    boolean,
    found,
    group,
    question,
    questionnaire,
    reply,
    response,
    section,
    string,
    when,
)
from vocabulary.errors import TooComplex

FORM = questionnaire(
    question("known", "boolean"),
    group("entry", question("entry.name", required=True), repeats=True,
          enableWhen=[when("known", "=", answerBoolean=True)]),
    question("colour", "string", repeats=True),
    question("born", "date"),
    question("weight", "quantity"),
)


def nested(depth: int) -> JSON:
    """An item holding an item, `depth` levels down, where a group of the form is."""
    inner: JSON = {"linkId": "entry"}
    for _ in range(depth):
        inner = {"linkId": "entry", "item": [inner]}
    return inner


def raised(answers: JSON) -> TooComplex:
    with pytest.raises(TooComplex) as caught:
        found(FORM, answers)
    return caught.value


@pytest.mark.parametrize("depth", [130, 5000])
def test_a_deeply_nested_response_is_too_complex_where_it_goes_too_deep(depth: int) -> None:
    error = raised(response(reply("known", boolean(True)), nested(depth)))
    # The top-level item is the first level; the one below the last allowed level is named.
    assert error.issues[0].expression == ("QuestionnaireResponse.item[1]"
                                          + ".item[0]" * shape.MAX_ITEM_DEPTH)


def test_deeply_nested_json_outside_items_is_too_complex() -> None:
    extension: JSON = {"url": "http://example.org/x"}
    for _ in range(shape.MAX_DEPTH):
        extension = {"url": "http://example.org/x", "extension": [extension]}
    error = raised(response(reply("colour", string("red"))) | {"extension": [extension]})
    assert error.issues[0].expression is not None
    assert error.issues[0].expression.startswith("QuestionnaireResponse.extension[0]")


def test_more_items_than_any_form_needs_is_too_complex_at_the_first_one_too_many() -> None:
    colours = [reply("colour", string("red"))] * (shape.MAX_ITEMS + 1)
    error = raised(response(*colours))
    assert error.issues[0].expression == f"QuestionnaireResponse.item[{shape.MAX_ITEMS}]"


def test_more_answers_than_any_form_needs_is_too_complex() -> None:
    colours = [string(f"c{i}") for i in range(shape.MAX_ANSWERS + 1)]
    error = raised(response(reply("colour", *colours)))
    assert error.issues[0].expression == (
        f"QuestionnaireResponse.item[0].answer[{shape.MAX_ANSWERS}]")


def test_many_empty_repeated_groups_take_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the bound on items, 16,000 empty groups behind an enableWhen took 48 s.
    monkeypatch.setattr(shape, "MAX_ITEMS", 10**6)
    entries = [{"linkId": "entry"} for _ in range(16_000)]
    started = time.perf_counter()
    issues = found(FORM, response(reply("known", boolean(True)), *entries))
    assert time.perf_counter() - started < 5
    assert issues == [(at(("entry", repeats.MAX_REPEATS)), "structure")]


def test_a_repeating_group_may_occur_at_most_max_repeats_times() -> None:
    entries = [section("entry", reply("entry.name", string(f"n{i}")))
               for i in range(repeats.MAX_REPEATS + 1)]
    assert found(FORM, response(reply("known", boolean(True)), *entries)) == [
        (at(("entry", repeats.MAX_REPEATS)), "structure")]


def test_the_questionnaire_max_occurs_extension_sets_the_bound() -> None:
    bounded = {"url": repeats.MAX_OCCURS, "valueInteger": 2}
    form = questionnaire(question("colour", "string", repeats=True, extension=[bounded]))
    answers = response(reply("colour", string("red"), string("green"), string("blue")))
    assert found(form, answers) == [(at("colour") + ".answer[2]", "structure")]


def test_a_repeating_question_may_have_at_most_max_repeats_answers() -> None:
    colours = [string(f"c{i}") for i in range(repeats.MAX_REPEATS + 1)]
    assert found(FORM, response(reply("colour", *colours))) == [
        (at("colour") + f".answer[{repeats.MAX_REPEATS}]", "structure")]


def test_the_same_answer_twice_is_a_duplicate_where_it_repeats() -> None:
    answers = response(reply("colour", string("red"), string("blue"), string("red")))
    assert found(FORM, answers) == [(at("colour") + ".answer[2]", "duplicate")]


def test_numbers_that_are_the_same_value_are_duplicates() -> None:
    form = questionnaire(question("n", "decimal", repeats=True))
    answers = response(reply("n", {"valueDecimal": 1}, {"valueDecimal": 1.0}))
    assert found(form, answers) == [(at("n") + ".answer[1]", "duplicate")]


def test_a_non_repeating_item_twice_is_located_at_the_second() -> None:
    answers = response(reply("born", {"valueDate": "2020-01-01"}),
                       reply("born", {"valueDate": "2020-01-02"}))
    assert found(FORM, answers) == [(at(("born", 1)), "structure")]


@pytest.mark.parametrize("text", ["a\x00b", "tab\x1b", "\x07"])
def test_a_control_character_in_an_answer_is_located(text: str) -> None:
    assert found(FORM, response(reply("colour", string(text)))) == [
        ("QuestionnaireResponse.item[0].answer[0].valueString", "value")]


def test_a_control_character_anywhere_in_the_response_is_located() -> None:
    answers = response(reply("colour", string("red"))) | {"identifier": {"value": "GF\x00-1"}}
    assert found(FORM, answers) == [("QuestionnaireResponse.identifier.value", "value")]


def test_tab_cr_and_lf_are_allowed_in_strings() -> None:
    assert found(FORM, response(reply("colour", string("a\tb\r\nc")))) == []


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_number_is_located(number: float) -> None:
    weight: dict[str, Any] = {"valueQuantity": {"value": number, "unit": "kg"}}
    assert found(FORM, response(reply("weight", weight))) == [
        ("QuestionnaireResponse.item[0].answer[0].valueQuantity.value", "value")]


def test_a_non_finite_decimal_answer_is_one_issue() -> None:
    form = questionnaire(question("n", "decimal"))
    assert found(form, response(reply("n", {"valueDecimal": float("nan")}))) == [
        (at("n") + ".answer[0]", "value")]


@pytest.mark.parametrize("day", ["9999-01-01", "2201-01-01", "9999-12-31T00:00:00Z"])
def test_a_date_past_2200_is_impossible(day: str) -> None:
    kind = "valueDateTime" if "T" in day else "valueDate"
    form = questionnaire(question("born", "dateTime" if "T" in day else "date"))
    assert found(form, response(reply("born", {kind: day}))) == [(at("born") + ".answer[0]",
                                                                 "value")]


def test_the_green_form_refuses_a_diagnosis_given_twice() -> None:
    # Each diagnosis becomes a Condition with an id from its code: HAPI refused the pair.
    answers = form("grace-okafor-depression")
    diagnosis = item(answers, "diagnosis")
    diagnosis["answer"].append(dict(diagnosis["answer"][0]))
    issues = validate_response(green_form(), answers, terminology())
    assert [(i.expression, i.code) for i in issues] == [
        (at("referral", "diagnosis") + f".answer[{len(diagnosis['answer']) - 1}]", "duplicate")]
