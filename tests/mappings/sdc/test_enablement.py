"""enableWhen (https://hl7.org/fhir/R4/questionnaire-definitions.html#Questionnaire.item.enableWhen):
every operator and answer type, enableBehavior, where the question is read, and answers to
items that are not enabled."""

from __future__ import annotations

from typing import Any

import pytest

from mappings.sdc import InvalidQuestionnaire
from tests.mappings.sdc.builders import (
    JSON,
    SYSTEM,
    at,
    boolean,
    found,
    group,
    issues,
    question,
    questionnaire,
    reply,
    response,
    section,
    string,
    when,
)

KG = {"system": "http://unitsofmeasure.org", "code": "kg"}
RED = {"system": SYSTEM, "code": "red"}
CASES: list[tuple[str, str, str, Any, JSON | None, bool]] = [
    # (question type, operator, answer[x] key, answer[x] value, response answer, enabled?)
    ("boolean", "=", "answerBoolean", True, {"valueBoolean": True}, True),
    ("boolean", "=", "answerBoolean", True, {"valueBoolean": False}, False),
    ("boolean", "!=", "answerBoolean", True, {"valueBoolean": False}, True),
    ("decimal", ">", "answerDecimal", 2.5, {"valueDecimal": 3.0}, True),
    ("decimal", "<", "answerDecimal", 2.5, {"valueDecimal": 3.0}, False),
    ("decimal", ">=", "answerDecimal", 2.5, {"valueDecimal": 2.5}, True),
    ("decimal", "<=", "answerDecimal", 2.5, {"valueDecimal": 2.6}, False),
    ("integer", "=", "answerInteger", 5, {"valueInteger": 5}, True),
    ("integer", "!=", "answerInteger", 5, {"valueInteger": 5}, False),
    ("integer", ">", "answerInteger", 5, {"valueInteger": 6}, True),
    ("integer", "<=", "answerInteger", 5, {"valueInteger": 4}, True),
    ("date", ">", "answerDate", "2020-01-01", {"valueDate": "2020-06-01"}, True),
    ("date", "<", "answerDate", "2020-01-01", {"valueDate": "2020-06-01"}, False),
    ("date", "=", "answerDate", "2020", {"valueDate": "2020-06-01"}, False),
    ("dateTime", ">", "answerDateTime", "2020-01-01T00:00:00Z",
     {"valueDateTime": "2020-01-01T01:00:00+02:00"}, False),
    ("dateTime", "<", "answerDateTime", "2020-01-01T00:00:00Z",
     {"valueDateTime": "2020-01-01T01:00:00+02:00"}, True),
    ("time", "<", "answerTime", "12:00:00", {"valueTime": "09:30:00"}, True),
    ("time", ">=", "answerTime", "12:00:00", {"valueTime": "09:30:00"}, False),
    ("string", "=", "answerString", "yes", {"valueString": "yes"}, True),
    ("string", "!=", "answerString", "yes", {"valueString": "no"}, True),
    ("choice", "=", "answerCoding", RED, {"valueCoding": RED | {"display": "Red"}}, True),
    ("choice", "=", "answerCoding", RED, {"valueCoding": {"system": "urn:x", "code": "red"}},
     False),
    ("choice", "!=", "answerCoding", RED, {"valueCoding": {"system": SYSTEM, "code": "blue"}},
     True),
    ("quantity", ">", "answerQuantity", KG | {"value": 10}, {"valueQuantity": KG | {"value": 12}},
     True),
    ("quantity", ">", "answerQuantity", KG | {"value": 10},
     {"valueQuantity": KG | {"value": 12, "code": "g"}}, False),
    ("reference", "=", "answerReference", {"reference": "Patient/1"},
     {"valueReference": {"reference": "Patient/1"}}, True),
    ("reference", "=", "answerReference", {"reference": "Patient/1"},
     {"valueReference": {"reference": "Patient/2"}}, False),
    ("string", "exists", "answerBoolean", True, {"valueString": "x"}, True),
    ("string", "exists", "answerBoolean", True, None, False),
    ("string", "exists", "answerBoolean", False, {"valueString": "x"}, False),
    ("string", "exists", "answerBoolean", False, None, True),
    ("string", "!=", "answerString", "yes", None, True),
    ("string", "=", "answerString", "yes", None, False),
]


def gated(*conditions: JSON, behaviour: str | None = None, kind: str = "string") -> JSON:
    """Question q (of `kind`), and d, required when enabled."""
    extra = {"enableBehavior": behaviour} if behaviour else {}
    return questionnaire(question("q", kind), question("q2", "boolean"),
                         question("d", required=True, enableWhen=list(conditions), **extra))


@pytest.mark.parametrize(("kind", "operator", "key", "expected", "answer", "enabled"), CASES)
def test_operators_and_answer_types(kind: str, operator: str, key: str, expected: Any,
                                    answer: JSON | None, enabled: bool) -> None:
    form = gated(when("q", operator, **{key: expected}), kind=kind)
    if kind == "choice":
        form["item"][0]["answerOption"] = [{"valueCoding": c["valueCoding"]} for c in
                                           ([answer] if answer else [])]
    answers = response(*([reply("q", answer)] if answer else []))
    assert found(form, answers) == ([(at("d"), "required")] if enabled else [])


@pytest.mark.parametrize(("behaviour", "first", "second", "enabled"), [
    ("all", True, True, True), ("all", True, False, False),
    ("any", True, False, True), ("any", False, False, False),
])
def test_enable_behaviour_combines_conditions(behaviour: str, first: bool, second: bool,
                                              enabled: bool) -> None:
    form = gated(when("q", "=", answerString="yes"), when("q2", "=", answerBoolean=True),
                 behaviour=behaviour)
    answers = response(reply("q", string("yes" if first else "no")), reply("q2", boolean(second)))
    assert found(form, answers) == ([(at("d"), "required")] if enabled else [])


def test_an_answer_to_an_item_that_is_not_enabled_is_refused() -> None:
    form = gated(when("q", "=", answerString="yes"))
    result = issues(form, response(reply("q", string("no")), reply("d", string("x"))))
    assert [(i.expression, i.code) for i in result] == [(at("d"), "business-rule")]
    assert result[0].diagnostics == (
        "Item 'd' is answered, but it is not enabled: its enableWhen conditions are not met")


def test_an_unanswered_item_that_is_not_enabled_may_be_present() -> None:
    form = gated(when("q", "=", answerString="yes"))
    assert found(form, response(reply("q", string("no")), reply("d"))) == []


def test_what_a_disabled_group_holds_is_disabled_too() -> None:
    form = questionnaire(question("q", "boolean"), group(
        "g", question("g.a", required=True), enableWhen=[when("q", "=", answerBoolean=True)]))
    assert found(form, response(reply("q", boolean(False)))) == []
    answers = response(reply("q", boolean(False)), section("g", reply("g.a", string("x"))))
    assert found(form, answers) == [(at("g"), "business-rule")]


def test_a_question_that_is_not_enabled_counts_as_unanswered() -> None:
    form = questionnaire(question("a", "boolean"),
                         question("b", "boolean", enableWhen=[when("a", "=", answerBoolean=True)]),
                         question("c", required=True,
                                  enableWhen=[when("b", "=", answerBoolean=True)]))
    answers = response(reply("a", boolean(False)), reply("b", boolean(True)))
    assert found(form, answers) == [(at("b"), "business-rule")]


def test_the_question_is_read_in_the_same_occurrence_of_a_repeating_group() -> None:
    form = questionnaire(group("s", question("s.done", "boolean"),
                               question("s.date", "date", required=True,
                                        enableWhen=[when("s.done", "=", answerBoolean=True)]),
                               repeats=True))
    answers = response(section("s", reply("s.done", boolean(True))),
                       section("s", reply("s.done", boolean(False)),
                               reply("s.date", {"valueDate": "2024-01-01"})))
    assert found(form, answers) == [
        (at(("s", 0), "s.date"), "required"), (at(("s", 1), "s.date"), "business-rule")]


def test_the_question_may_sit_in_another_group() -> None:
    form = questionnaire(group("a", question("a.q", "boolean")),
                         group("b", question("b.d", required=True,
                                             enableWhen=[when("a.q", "=", answerBoolean=True)]),
                               question("b.e")))
    answers = response(section("a", reply("a.q", boolean(True))),
                       section("b", reply("b.e", string("x"))))
    assert found(form, answers) == [(at("b", "b.d"), "required")]


def test_a_nested_question_may_depend_on_the_question_it_answers() -> None:
    form = questionnaire(question("pet", item=[
        question("pet.breed", required=True, enableWhen=[when("pet", "=", answerString="dog")])]))
    dog = response(reply("pet", string("dog")))
    cat = response(reply("pet", string("cat")))
    assert found(form, dog) == [(at("pet") + ".answer[0].item.where(linkId='pet.breed')",
                                 "required")]
    assert found(form, cat) == []


def test_conditions_that_depend_on_each_other_are_a_broken_questionnaire() -> None:
    form = questionnaire(question("a", enableWhen=[when("b", "exists", answerBoolean=True)]),
                         question("b", enableWhen=[when("a", "exists", answerBoolean=True)]))
    with pytest.raises(InvalidQuestionnaire, match="depends on itself"):
        issues(form, response(reply("a", string("x"))))
