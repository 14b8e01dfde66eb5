"""Everything the gateway checks in a Green Form response before extracting it, as one list
of issues: FHIR R4 structure, then the Questionnaire's rules (`mappings.sdc`), then what the
extraction cannot do without (the form number and date, who may sign the release), then what
no form can say on the day it is checked (a child born after it). A response
that passes is returned read (`form.parse`), so nothing downstream reads it again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from mappings.green_form.form import Form, Referral, parse, submission
from mappings.sdc import Terminology, validate_response
from mappings.sdc.paths import ROOT
from mappings.sdc.shape import shape_issues
from vocabulary.errors import Issue, ValidationFailed
from vocabulary.outcome import issues_from_validation

INVALID = "The Green Form response is not valid"


def checked(response: Mapping[str, Any], questionnaire: Mapping[str, Any],
            terminology: Terminology, today: date) -> Form:
    """The form read, if `response` is a valid Green Form response on the day `today`; else
    one ValidationFailed naming every problem."""
    issues = _problems(response, questionnaire, terminology)
    if not failed(issues):
        try:
            form = parse(response)
        except ValidationFailed as error:
            issues += error.issues
        else:
            issues += _impossible(form, today)
            if not failed(issues):
                return form
    raise ValidationFailed(INVALID, issues=issues)


def _impossible(form: Form, today: date) -> list[Issue]:
    """What no valid form can say on the day it is checked: a child born after it."""
    if not isinstance(form, Referral):
        return []
    born = form.child.birth_date
    if born <= today.isoformat()[:len(born)]:
        return []
    return [Issue(f"The child's birth date {born} is after today",
                  form.child.birth_date_expression, "value")]


def _problems(response: Mapping[str, Any], questionnaire: Mapping[str, Any],
              terminology: Terminology) -> list[Issue]:
    if response.get("resourceType") != ROOT:
        return [Issue("The body must be a QuestionnaireResponse", f"{ROOT}.resourceType",
                      "structure")]
    shape = shape_issues(response)  # first: the R4B model recurses once per level of nesting
    try:
        QuestionnaireResponse.model_validate(response)
    except ValidationError as exc:
        return issues_from_validation(exc.errors(), root=ROOT)
    issues = validate_response(questionnaire, response, terminology, shape)
    try:
        submission(response)
    except ValidationFailed as error:
        issues += error.issues
    return issues


def failed(issues: list[Issue]) -> bool:
    return any(issue.severity in ("error", "fatal") for issue in issues)
