"""The AuditEvent passes HAPI's own validator ($validate), for a permit and for a deny."""

from __future__ import annotations

import httpx
import pytest

from consent.audit import AuditRequest, audit_event
from consent.engine import decide
from consent.rules import load_policy
from tests.consent.cases import all_cases

POLICY = load_policy()
NAMES = [
    "the Part 2 consent naming capitol-peds permits, with the no-redisclosure obligation",
    "a deny provision nested inside a permit wins over HIPAA TPO",
    "ETREAT break-glass opens a Part 2 record, flagged, with no-redisclosure",
    "payment by the covered entity that keeps the record gets the minimum necessary",
]


@pytest.mark.hapi
@pytest.mark.parametrize("name", NAMES)
def test_audit_event_validates_in_hapi(hapi_url: str, name: str) -> None:
    case = next(c for c in all_cases() if c.name == name)
    decision = decide(case.requester, case.action, case.resource, case.consents, POLICY, case.now)
    event = audit_event(decision, AuditRequest(case.requester, case.action, case.now))
    response = httpx.post(
        f"{hapi_url}/AuditEvent/$validate",
        json=event,
        headers={"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"},
        timeout=120.0,
    )
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    problems = [i for i in outcome.get("issue", []) if i["severity"] in ("error", "fatal")]
    assert problems == [], problems
