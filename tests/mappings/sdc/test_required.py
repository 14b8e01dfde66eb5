"""Required items (https://hl7.org/fhir/R4/questionnaire-definitions.html#Questionnaire.item.required),
under enableWhen, and only for responses that claim to be complete."""

from __future__ import annotations

import pytest

from tests.mappings.sdc.builders import (
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

CHILD = group("child", question("child.given-name", required=True),
              question("child.birth-date", "date", text="Date of birth", required=True),
              required=True, text="Child")


def test_a_missing_required_item_is_named_where_it_should_be() -> None:
    form = questionnaire(CHILD)
    result = issues(form, response(section("child", reply("child.given-name", string("Ana")))))
    assert [(i.expression, i.code, i.severity) for i in result] == [
        (at("child", "child.birth-date"), "required", "error")]
    assert result[0].diagnostics == "Item 'child.birth-date' (Date of birth) is required"


def test_a_required_question_without_answers_is_missing() -> None:
    form = questionnaire(question("a", required=True))
    assert found(form, response(reply("a"))) == [(at("a"), "required")]


def test_a_missing_required_group_is_one_problem() -> None:
    assert found(questionnaire(CHILD), response()) == [(at("child"), "required")]


def test_a_required_group_with_nothing_answered_is_one_problem() -> None:
    form = questionnaire(CHILD)
    result = issues(form, response(section("child", reply("child.given-name"))))
    assert [(i.expression, i.code) for i in result] == [(at("child"), "required")]
    assert result[0].diagnostics == (
        "Item 'child' (Child) is required: answer at least one of its questions")


def test_required_items_of_an_optional_group_count_once_it_is_answered() -> None:
    form = questionnaire(group("g", question("g.a"), question("g.b", required=True)))
    assert found(form, response()) == []
    assert found(form, response(section("g"))) == []
    assert found(form, response(section("g", reply("g.a", string("x"))))) == [
        (at("g", "g.b"), "required")]


def test_a_required_repeating_group_needs_one_occurrence() -> None:
    form = questionnaire(group("allergy", question("allergy.substance", required=True),
                               required=True, repeats=True))
    assert found(form, response()) == [(at("allergy"), "required")]


def test_a_required_item_that_is_not_enabled_is_not_required() -> None:
    form = questionnaire(question("seen", "boolean"),
                         question("date", "date", required=True,
                                  enableWhen=[when("seen", "=", answerBoolean=True)]))
    assert found(form, response(reply("seen", boolean(False)))) == []
    assert found(form, response(reply("seen", boolean(True)))) == [(at("date"), "required")]


def test_required_items_under_an_answer_count_for_each_answer() -> None:
    form = questionnaire(question("pet", repeats=True, item=[question("pet.age", "integer",
                                                                       required=True)]))
    answers = response(reply("pet", {"valueString": "cat", "item": [
        reply("pet.age", {"valueInteger": 3})]}, string("dog")))
    assert found(form, answers) == [
        (at("pet") + ".answer[1]" + ".item.where(linkId='pet.age')", "required")]


@pytest.mark.parametrize("status", ["in-progress", "stopped"])
def test_a_draft_need_not_be_complete(status: str) -> None:
    form = questionnaire(CHILD, question("n", "integer"))
    assert found(form, response(status=status)) == []
    assert found(form, response(section("child", reply("child.given-name")), status=status)) == []


@pytest.mark.parametrize("status", ["in-progress", "stopped"])
def test_a_draft_still_has_well_formed_answers(status: str) -> None:
    form = questionnaire(CHILD, question("n", "integer"), question("b", "boolean"),
                         question("m", enableWhen=[when("b", "=", answerBoolean=True)]))
    answers = response(reply("n", string("three")), reply("b", boolean(False)),
                       reply("m", string("x")), reply("zz"), status=status)
    assert found(form, answers) == [
        (at("zz"), "structure"), (at("n") + ".answer[0]", "structure"), (at("m"), "business-rule")]


@pytest.mark.parametrize("status", ["completed", "amended", "entered-in-error"])
def test_a_finished_response_must_be_complete(status: str) -> None:
    assert found(questionnaire(CHILD), response(status=status)) == [(at("child"), "required")]
