"""audit_event(): a FHIR R4 AuditEvent in the IHE BALP consent-decision shape."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.auditevent import AuditEvent

from consent import codes
from consent.audit import AuditRequest, audit_event
from consent.engine import decide
from consent.rules import load_policy
from tests.consent.cases import Case, all_cases

POLICY = load_policy()
CASES = all_cases()


def event_for(c: Case) -> dict[str, Any]:
    decision = decide(c.requester, c.action, c.resource, c.consents, POLICY, c.now)
    return audit_event(decision, AuditRequest(c.requester, c.action, c.now, event_id="ae-1"))


def named(name: str) -> dict[str, Any]:
    return event_for(next(c for c in CASES if c.name == name))


def details(entity: dict[str, Any], kind: str) -> list[str]:
    return [d["valueString"] for d in entity.get("detail", []) if d["type"] == kind]


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_every_policy_case_yields_a_valid_r4_audit_event(c: Case) -> None:
    event = event_for(c)
    model = AuditEvent.model_validate(event)
    assert model.model_dump(mode="json", exclude_none=True) == event


def test_permit_names_requester_purpose_patient_resource_labels_and_consent() -> None:
    event = named(
        "the Part 2 consent naming capitol-peds permits, with the no-redisclosure obligation"
    )
    assert event["outcome"] == "0"
    recipient = event["agent"][0]
    assert recipient["who"]["reference"] == "Practitioner/ana-whitfield"
    assert recipient["requestor"] is True
    assert recipient["purposeOfUse"][0]["coding"][0]["code"] == "TREAT"
    patient, record, consent = event["entity"]
    assert patient["what"]["reference"] == "Patient/daniel-okafor"
    assert record["what"]["reference"] == "Observation/daniel-sud-assessment"
    labels = {(s["system"], s["code"]) for s in record["securityLabel"]}
    assert (codes.ACT_CODE, "42CFRPart2") in labels
    assert (codes.CONFIDENTIALITY, "R") in labels
    assert details(record, "decision") == ["permit"]
    assert details(record, "policy-version") == [POLICY.version]
    assert details(record, "obligation") == ["NORDSCLCD", "part2-notice"]
    assert any(r.startswith("42cfr-part2.consent-required: ") for r in details(record, "reason"))
    assert consent["what"]["reference"] == "Consent/daniel-part2"
    assert details(consent, "provision") == ["provision"]


def test_deny_is_recorded_with_its_reasons_and_deciding_provision() -> None:
    event = named("a deny provision nested inside a permit wins over HIPAA TPO")
    assert event["outcome"] == "8"
    assert event["outcomeDesc"] == "deny: Condition/mateo-anxiety"
    consent = event["entity"][2]
    assert consent["what"]["reference"] == "Consent/mateo-family"
    assert details(consent, "provision") == ["provision.provision[0]"]


def test_break_glass_is_flagged_in_the_record() -> None:
    event = named("ETREAT break-glass opens a Part 2 record, flagged, with no-redisclosure")
    assert details(event["entity"][1], "flag") == ["break-glass"]
    assert event["purposeOfEvent"][0]["coding"][0]["code"] == "ETREAT"


def test_break_glass_records_what_42_cfr_2_51_c_asks_the_program_to_document() -> None:
    record = named("ETREAT break-glass opens a Part 2 record, flagged, with no-redisclosure")
    entity = record["entity"][1]
    assert details(entity, "emergency-nature") == ["unresponsive after suspected intoxication"]
    assert details(entity, "emergency-recipient") == [
        "Emergency attending, Children's Medical Center"]
    assert details(entity, "emergency-affiliation") == ["Organization/ccmc-ed"]
    assert "notify-part2-program" in details(entity, "obligation")
