"""The response as a whole and where its items sit: questionnaire, status, linkIds, order,
repeats, and what groups, display items and questions may hold."""

from __future__ import annotations

import pytest

from tests.mappings.sdc.builders import (
    URL,
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
)

FORM = questionnaire(question("a"), question("b"), group("g", question("g.c"), repeats=True))


@pytest.mark.parametrize("named", [URL, f"{URL}|1.0.0"])
def test_the_questionnaire_is_named_with_or_without_its_version(named: str) -> None:
    assert found(FORM, response(reply("a", string("x")), of=named)) == []


@pytest.mark.parametrize("named", [f"{URL}|2.0.0", "http://example.org/fhir/Questionnaire/other"])
def test_another_questionnaire_or_version_is_not_accepted(named: str) -> None:
    assert found(FORM, response(of=named)) == [
        ("QuestionnaireResponse.questionnaire", "not-supported")]


def test_a_version_is_refused_when_the_questionnaire_has_none() -> None:
    form = questionnaire(question("a"), version=None)
    assert found(form, response(of=f"{URL}|1.0.0")) == [
        ("QuestionnaireResponse.questionnaire", "not-supported")]


def test_a_response_must_name_its_questionnaire() -> None:
    answers = response()
    del answers["questionnaire"]
    assert found(FORM, answers) == [("QuestionnaireResponse.questionnaire", "required")]


def test_status_must_be_a_questionnaire_response_status() -> None:
    assert found(FORM, response(status="final")) == [
        ("QuestionnaireResponse.status", "code-invalid")]
    answers = response()
    del answers["status"]
    assert found(FORM, answers) == [("QuestionnaireResponse.status", "required")]


def test_the_resource_must_be_a_questionnaire_response() -> None:
    assert found(FORM, response() | {"resourceType": "Observation"}) == [
        ("QuestionnaireResponse", "structure")]


def test_an_unknown_link_id_is_refused() -> None:
    result = issues(FORM, response(reply("a", string("x")), reply("nope", string("y"))))
    assert [(i.expression, i.code) for i in result] == [(at("nope"), "structure")]
    assert result[0].diagnostics == "Item 'nope' is not in the Questionnaire"


def test_link_ids_are_quoted_in_expressions() -> None:
    assert found(FORM, response(reply("it's", string("x")))) == [
        ("QuestionnaireResponse.item.where(linkId='it\\'s')", "structure")]


def test_an_item_at_the_wrong_level_is_misplaced() -> None:
    result = issues(FORM, response(reply("g.c", string("x"))))
    assert [(i.expression, i.code) for i in result] == [(at("g.c"), "structure")]
    assert result[0].diagnostics == "Item 'g.c' is in the wrong place: it belongs under item 'g'"


def test_items_must_follow_the_questionnaire_order() -> None:
    result = issues(FORM, response(reply("b", string("x")), reply("a", string("y"))))
    assert [(i.expression, i.code) for i in result] == [(at("a"), "structure")]
    assert result[0].diagnostics == (
        "Item 'a' is out of order: the Questionnaire puts it before item 'b'")


def test_occurrences_of_a_repeating_group_may_follow_each_other() -> None:
    answers = response(reply("a", string("x")), section("g", reply("g.c", string("1"))),
                       section("g", reply("g.c", string("2"))))
    assert found(FORM, answers) == []


def test_problems_inside_a_repeating_group_carry_its_index() -> None:
    answers = response(section("g", reply("g.c", string("1"))),
                       section("g", reply("g.c", boolean(True))))
    assert found(FORM, answers) == [(at(("g", 1), "g.c") + ".answer[0]", "structure")]


def test_a_group_that_does_not_repeat_occurs_once() -> None:
    form = questionnaire(group("g", question("g.c")))
    answers = response(section("g", reply("g.c", string("1"))),
                       section("g", reply("g.c", string("2"))))
    assert found(form, answers) == [(at(("g", 1)), "structure")]


def test_a_question_occurs_once_even_when_it_repeats() -> None:
    form = questionnaire(question("a", repeats=True))
    answers = response(reply("a", string("1")), reply("a", string("2")))
    assert found(form, answers) == [(at(("a", 1)), "structure")]


def test_a_group_has_items_not_answers() -> None:
    answers = response(section("g", reply("g.c", string("x"))) | {"answer": [string("y")]})
    assert found(FORM, answers) == [(at(("g", 0)), "structure")]


def test_display_items_are_not_answered() -> None:
    form = questionnaire(question("note", "display", text="Read this"), question("a"))
    answers = response(reply("note", string("read")), reply("a", string("x")))
    assert found(form, answers) == [(at("note"), "structure")]


def test_a_question_keeps_its_nested_items_under_its_answers() -> None:
    form = questionnaire(question("a", "boolean", item=[question("a.why")]))
    misplaced = response(reply("a", boolean(True), item=[reply("a.why", string("x"))]))
    nested = response(reply("a", {"valueBoolean": True, "item": [reply("a.why", string("x"))]}))
    assert found(form, misplaced) == [(at("a") + ".item", "structure")]
    assert found(form, nested) == []


def test_an_item_without_a_link_id_is_refused() -> None:
    assert found(FORM, response({"answer": [string("x")]})) == [
        ("QuestionnaireResponse.item[0]", "structure")]


def test_item_text_may_differ_from_the_questionnaire() -> None:
    form = questionnaire(question("a", text="First name"))
    assert found(form, response(reply("a", string("x"), text="Given name"))) == []


def test_every_problem_is_reported_in_one_pass() -> None:
    answers = response(reply("b", boolean(True)), reply("a", string("")), reply("zz"))
    assert found(FORM, answers) == [
        (at("a"), "structure"),
        (at("zz"), "structure"),
        (at("a") + ".answer[0]", "value"),
        (at("b") + ".answer[0]", "structure"),
    ]
