"""A Questionnaire that breaks a rule cannot judge responses: InvalidQuestionnaire."""

from __future__ import annotations

import pytest

from mappings.sdc import InvalidQuestionnaire
from tests.mappings.sdc.builders import (
    JSON,
    group,
    issues,
    option,
    question,
    questionnaire,
    response,
    when,
)


@pytest.mark.parametrize(("form", "problem"), [
    ({"resourceType": "ValueSet"}, "not a Questionnaire"),
    (questionnaire(question("a"), question("a")), "used twice"),
    (questionnaire({"type": "string"}), "no linkId"),
    (questionnaire(question("a", "question")), "no response can answer"),
    (questionnaire(group("g")), "has no items"),
    (questionnaire(question("d", "display", required=True)), "display item"),
    (questionnaire(question("a", answerOption=[option("x")])), "not a choice"),
    (questionnaire(question("a", "choice", answerOption=[option("x")], answerValueSet="u")),
     "both answerOption and answerValueSet"),
    (questionnaire(question("a", enableWhen=[when("zz", "exists", answerBoolean=True)])),
     "unknown question"),
    (questionnaire(question("a", enableWhen=[when("a", "exists", answerBoolean=True)])),
     "the item itself"),
    (questionnaire(question("b"), question("a", enableWhen=[when("b", "exists",
                                                                  answerString="x")])),
     "without answerBoolean"),
    (questionnaire(question("b"), question("a", enableWhen=[when("b", "~", answerString="x")])),
     "known operator"),
    (questionnaire(question("b", "boolean"), question("a", enableWhen=[
        when("b", ">", answerBoolean=True)])), "has no order"),
    (questionnaire(question("b"), question("a", enableWhen=[
        when("b", "exists", answerBoolean=True), when("b", "=", answerString="x")])),
     "no enableBehavior"),
    (questionnaire(group("g", question("g.a"), enableWhen=[
        when("g.a", "exists", answerBoolean=True)])), "one of its own items"),
    (questionnaire(question("a", enableWhen=[when("b", "exists", answerBoolean=True)]),
                   question("b", enableWhen=[when("a", "exists", answerBoolean=True)])),
     "depends on itself"),
    (questionnaire(group("g", question("g.a", enableWhen=[
        when("b", "exists", answerBoolean=True)])),
        question("b", enableWhen=[when("g.a", "exists", answerBoolean=True)])),
     "depends on itself"),
])
def test_a_broken_questionnaire_is_refused(form: JSON, problem: str) -> None:
    with pytest.raises(InvalidQuestionnaire, match=problem):
        issues(form, response())
