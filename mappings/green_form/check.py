"""Everything the gateway checks in a Green Form response before extracting it, as one list
of issues: FHIR R4 structure, then the Questionnaire's rules (`mappings.sdc`), then what the
extraction cannot do without (the form number and date)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from mappings.green_form.answers import ROOT
from mappings.green_form.form import submission
from mappings.sdc import Terminology, validate_response
from vocabulary.errors import Issue, ValidationFailed
from vocabulary.outcome import issues_from_validation


def problems(response: Mapping[str, Any], questionnaire: Mapping[str, Any],
             terminology: Terminology) -> list[Issue]:
    if response.get("resourceType") != ROOT:
        return [Issue("The body must be a QuestionnaireResponse", f"{ROOT}.resourceType",
                      "structure")]
    try:
        QuestionnaireResponse.model_validate(response)
    except ValidationError as exc:
        return issues_from_validation(exc.errors(), root=ROOT)
    issues = validate_response(questionnaire, response, terminology)
    try:
        submission(response)
    except ValidationFailed as error:
        issues += error.issues
    return issues


def failed(issues: list[Issue]) -> bool:
    return any(issue.severity in ("error", "fatal") for issue in issues)
