"""Turning errors into FHIR OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from vocabulary.errors import Issue, OnePlanError

STABLE_CODES = "http://oneplan.example.org/fhir/CodeSystem/oneplan-error"


def field_path(loc: Sequence[int | str], root: str | None = None) -> str:
    """`("services", 0, "frequency")` -> `services[0].frequency`, optionally under `root`."""
    path = root or ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def issues_from_validation(errors: Iterable[Any], root: str | None = None,
                           skip: int = 0) -> list[Issue]:
    """Pydantic `ValidationError.errors()` entries as issues; `skip` drops leading loc parts."""
    return [
        Issue(diagnostics=str(e["msg"]), expression=field_path(tuple(e["loc"])[skip:], root))
        for e in errors
    ]


def operation_outcome(error: OnePlanError) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [_issue_json(issue, error) for issue in error.issues],
    }


def _issue_json(issue: Issue, error: OnePlanError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "severity": issue.severity,
        "code": issue.code or error.issue_code,
        "details": {
            "coding": [{"system": STABLE_CODES, "code": error.stable_code}],
            "text": error.message,
        },
        "diagnostics": issue.diagnostics,
    }
    if issue.expression:
        body["expression"] = [issue.expression]
    return body
