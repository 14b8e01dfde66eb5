"""questionnaire-constraint: a FHIRPath invariant on the response item of the Questionnaire
item that carries it."""

from __future__ import annotations

import pytest

from mappings.sdc import InvalidQuestionnaire
from tests.mappings.sdc.builders import (
    JSON,
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

CONSTRAINT = "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint"
ONE_ID = ("item.where(linkId='child.husky-id').exists() or "
          "item.where(linkId='child.mrn').exists()")
EXPIRES = ("item.where(linkId='consent.expires').answer.value > "
           "item.where(linkId='consent.signed-on').answer.value")


def constraint(key: str, expression: str, human: str, severity: str = "error") -> JSON:
    parts = [("key", "valueId", key), ("severity", "valueCode", severity),
             ("expression", "valueString", expression), ("human", "valueString", human)]
    return {"url": CONSTRAINT, "extension": [{"url": u, k: v} for u, k, v in parts]}


CHILD = group("child", question("child.name"), question("child.husky-id"),
              question("child.mrn"), text="Child",
              extension=[constraint("gf-1", ONE_ID, "HUSKY id or practice MRN is required")])
CONSENT = group("consent", question("consent.signed-on", "date"),
                question("consent.expires", "date"),
                extension=[constraint("gf-2", EXPIRES, "The release must expire after it is "
                                      "signed")])


def test_a_failed_constraint_names_its_rule_on_the_item() -> None:
    result = issues(questionnaire(CHILD),
                    response(section("child", reply("child.name", string("Ana")))))
    assert [(i.expression, i.code, i.severity) for i in result] == [
        (at("child"), "invariant", "error")]
    assert result[0].diagnostics == (
        "Item 'child' (Child): HUSKY id or practice MRN is required (gf-1)")


def test_a_constraint_that_holds_is_silent() -> None:
    answers = response(section("child", reply("child.name", string("Ana")),
                               reply("child.mrn", string("M1"))))
    assert found(questionnaire(CHILD), answers) == []


@pytest.mark.parametrize(("signed", "expires", "expected"), [
    ("2025-01-01", "2026-01-01", []),
    ("2025-01-01", "2025-01-01", [(at("consent"), "invariant")]),
    ("2025-01-01", "2024-12-31", [(at("consent"), "invariant")]),
    ("2025-01-01", None, [(at("consent"), "invariant")]),
])
def test_a_constraint_compares_answers(signed: str, expires: str | None,
                                       expected: list[tuple[str, str]]) -> None:
    dates = [reply("consent.signed-on", {"valueDate": signed})] + (
        [reply("consent.expires", {"valueDate": expires})] if expires else [])
    assert found(questionnaire(CONSENT), response(section("consent", *dates))) == expected


def test_a_constraint_of_an_absent_or_disabled_item_is_not_evaluated() -> None:
    gated = CHILD | {"enableWhen": [when("q", "=", answerBoolean=True)]}
    form = questionnaire(question("q", "boolean"), gated)
    assert found(form, response()) == []
    assert found(form, response(reply("q", boolean(False)))) == []
    assert found(form, response(reply("q", boolean(True)), section("child"))) == []


def test_a_draft_is_not_held_to_constraints() -> None:
    answers = response(section("child", reply("child.name", string("Ana"))), status="in-progress")
    assert found(questionnaire(CHILD), answers) == []


def test_a_warning_constraint_gives_a_warning() -> None:
    form = questionnaire(group("g", question("g.a"), extension=[
        constraint("w-1", "item.exists().not()", "Better left empty", "warning")]))
    result = issues(form, response(section("g", reply("g.a", string("x")))))
    assert [(i.expression, i.code, i.severity) for i in result] == [
        (at("g"), "invariant", "warning")]


def test_a_constraint_that_cannot_be_evaluated_fails() -> None:
    form = questionnaire(group("g", question("g.a"), extension=[
        constraint("bad-1", "item.where(linkId='g.a').answer.value and 1", "Broken")]))
    [issue] = issues(form, response(section("g", reply("g.a", string("x")))))
    assert (issue.expression, issue.code) == (at("g"), "invariant")
    assert "could not be evaluated" in issue.diagnostics


def test_a_constraint_without_expression_is_a_broken_questionnaire() -> None:
    broken = constraint("e-1", "", "Empty")
    form = questionnaire(group("g", question("g.a"), extension=[broken]))
    with pytest.raises(InvalidQuestionnaire, match="no expression"):
        issues(form, response(section("g", reply("g.a", string("x")))))


def test_a_constraint_does_not_change_the_response() -> None:
    answers = response(section("child", reply("child.name", string("Ana"))))
    before = repr(answers)
    issues(questionnaire(CHILD), answers)
    assert repr(answers) == before
