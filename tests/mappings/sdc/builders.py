"""Small Questionnaires and QuestionnaireResponses, built inline by the tests of mappings.sdc."""

from __future__ import annotations

from typing import Any

from mappings.sdc import Terminology, validate_response
from vocabulary.errors import Issue
from vocabulary.fhir import JSON as JSON

URL = "http://example.org/fhir/Questionnaire/test"
SYSTEM = "http://example.org/fhir/CodeSystem/colour"
NO_TERMINOLOGY = Terminology.from_resources([])


def questionnaire(*items: JSON, version: str | None = "1.0.0") -> JSON:
    form: JSON = {"resourceType": "Questionnaire", "url": URL, "status": "active",
                  "item": list(items)}
    return form | ({"version": version} if version else {})


def question(link_id: str, kind: str = "string", **fields: Any) -> JSON:
    return {"linkId": link_id, "type": kind, **fields}


def group(link_id: str, *items: JSON, **fields: Any) -> JSON:
    return {"linkId": link_id, "type": "group", "item": list(items), **fields}


def when(question_id: str, operator: str, **answer: Any) -> JSON:
    """One enableWhen, e.g. when('q', '=', answerBoolean=True)."""
    return {"question": question_id, "operator": operator, **answer}


def response(*items: JSON, status: str = "completed", of: str = URL) -> JSON:
    return {"resourceType": "QuestionnaireResponse", "questionnaire": of, "status": status,
            "item": list(items)}


def reply(link_id: str, *values: JSON, **fields: Any) -> JSON:
    """A response item with one answer per value, e.g. reply('age', {'valueInteger': 3})."""
    return {"linkId": link_id, "answer": [dict(v) for v in values], **fields}


def section(link_id: str, *items: JSON) -> JSON:
    return {"linkId": link_id, "item": list(items)}


def string(value: str) -> JSON:
    return {"valueString": value}


def boolean(value: bool) -> JSON:
    return {"valueBoolean": value}


def coding(code: str, display: str | None = None, system: str | None = SYSTEM) -> JSON:
    found = {"system": system, "code": code, "display": display}
    return {"valueCoding": {k: v for k, v in found.items() if v is not None}}


def option(code: str, display: str | None = None) -> JSON:
    return coding(code, display)


def found(form: JSON, answers: JSON, terminology: Terminology = NO_TERMINOLOGY,
          ) -> list[tuple[str | None, str | None]]:
    """(expression, code) of every issue the validator finds."""
    return [(i.expression, i.code) for i in validate_response(form, answers, terminology)]


def issues(form: JSON, answers: JSON, terminology: Terminology = NO_TERMINOLOGY) -> list[Issue]:
    return validate_response(form, answers, terminology)


def at(*link_ids: str | tuple[str, int]) -> str:
    """The expression of a nested item: at('g', ('r', 1), 'q')."""
    path = "QuestionnaireResponse"
    for step in link_ids:
        link_id, index = step if isinstance(step, tuple) else (step, None)
        path += f".item.where(linkId='{link_id}')" + ("" if index is None else f"[{index}]")
    return path
