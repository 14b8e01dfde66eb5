"""audit_event(): one FHIR R4 AuditEvent per decision, in the IHE BALP consent-decision shape.

Shape: https://profiles.ihe.net/ITI/BALP/StructureDefinition-IHE.BasicAudit.AuthZconsent.html
on https://hl7.org/fhir/R4/auditevent.html. Permits and denies are recorded alike (HL7 FAST
consent management). The reasons and the policy version travel in `entity.detail`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from consent import codes
from consent.decision import Decision, Effect
from consent.explanation import explain
from consent.requester import Action, Requester

DCM = "http://dicom.nema.org/resources/ontology/DCM"
BALP_AUTHZ = "https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType"
RESTFUL = "http://hl7.org/fhir/restful-interaction"
ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type"
ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"
INTERACTIONS = {"read": "read", "search": "search-type", "create": "create", "update": "update"}
# AuditEvent.outcome (https://hl7.org/fhir/R4/valueset-audit-event-outcome.html): BALP records
# a consent deny as a serious failure.
OUTCOMES = {Effect.PERMIT: "0", Effect.PERMIT_WITH_REDACTION: "0", Effect.DENY: "8"}


@dataclass(frozen=True)
class AuditRequest:
    """The request a decision answered, and when and by whom it is recorded."""

    requester: Requester
    action: Action
    recorded: datetime
    event_id: str | None = None
    observer: str = "Device/oneplan-gateway"


def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    return {"system": system, "code": code, **({"display": display} if display else {})}


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)]}


def _agents(request: AuditRequest) -> list[dict[str, Any]]:
    who = request.requester
    recipient = {
        "type": _concept(codes.PARTICIPATION_TYPE, "IRCP", "information recipient"),
        "who": {"reference": who.who, **({"display": who.display} if who.display else {})},
        "requestor": True,
        "purposeOfUse": [_concept(codes.ACT_REASON, who.purpose)],
    }
    decider = {
        "type": _concept(DCM, "110150", "Application"),
        "who": {"reference": request.observer, "display": "OnePlan consent engine"},
        "requestor": False,
    }
    organization = {
        "type": _concept(ROLE_CLASS, "PROV", "healthcare provider"),
        "who": {"reference": who.organization},
        "requestor": False,
    }
    return [recipient, organization, decider] if who.organization else [recipient, decider]


def _labels(decision: Decision) -> list[dict[str, str]]:
    """Bare system and code: a validator checks displays against its own terminology."""
    return [_coding(codes.LABEL_SYSTEMS[c], c) for c in decision.labels if c in codes.LABEL_SYSTEMS]


def _details(decision: Decision) -> list[dict[str, str]]:
    details = [
        {"type": "decision", "valueString": decision.effect.value},
        {"type": "policy-version", "valueString": decision.policy_version},
        {"type": "explanation", "valueString": explain(decision)},
    ]
    details += [{"type": "reason", "valueString": f"{r.key}: {r.text}"} for r in decision.decisive]
    details += [{"type": "obligation", "valueString": o.code} for o in decision.obligations]
    details += [{"type": "flag", "valueString": flag} for flag in decision.flags]
    details += [{"type": f"emergency-{k}", "valueString": v} for k, v in decision.emergency]
    return details


def _entities(decision: Decision) -> list[dict[str, Any]]:
    resource: dict[str, Any] = {
        "what": {"reference": decision.resource},
        "type": _coding(ENTITY_TYPE, "2", "System Object"),
        "role": _coding(OBJECT_ROLE, "4", "Domain Resource"),
        "detail": _details(decision),
    }
    if decision.labels:  # FHIR JSON has no empty arrays
        resource["securityLabel"] = _labels(decision)
    consents = [_consent_entity(decision, ref) for ref in decision.consents]
    if decision.patient is None:
        return [resource, *consents]
    patient = {
        "what": {"reference": decision.patient},
        "type": _coding(ENTITY_TYPE, "1", "Person"),
        "role": _coding(OBJECT_ROLE, "1", "Patient"),
    }
    return [patient, resource, *consents]


def _consent_entity(decision: Decision, ref: str) -> dict[str, Any]:
    paths = [r.path for r in decision.decisive if r.ref == ref and r.path]
    entity: dict[str, Any] = {
        "what": {"reference": ref},
        "type": _coding(codes.RESOURCE_TYPES, "Consent", "Consent"),
        "role": _coding(OBJECT_ROLE, "13", "Security Resource"),
    }
    if paths:
        entity["detail"] = [{"type": "provision", "valueString": path} for path in paths]
    return entity


def audit_event(decision: Decision, request: AuditRequest) -> dict[str, Any]:
    """The AuditEvent as FHIR R4 JSON (validate it with fhir.resources.R4B or HAPI)."""
    event: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "type": _coding(DCM, "110113", "Security Alert"),
        "subtype": [
            _coding(BALP_AUTHZ, "AuthZ-Consent", "Authorization Decision using Roles and Consent"),
            _coding(RESTFUL, INTERACTIONS[request.action]),
        ],
        "action": "E",
        "recorded": request.recorded.isoformat().replace("+00:00", "Z"),
        "outcome": OUTCOMES[decision.effect],
        "outcomeDesc": f"{decision.effect.value}: {decision.resource}",
        "purposeOfEvent": [_concept(codes.ACT_REASON, request.requester.purpose)],
        "agent": _agents(request),
        "source": {
            "observer": {"reference": request.observer, "display": "OnePlan gateway"},
            "type": [_coding(SOURCE_TYPE, "6", "Security Server")],
        },
        "entity": _entities(decision),
    }
    if request.event_id:
        event["id"] = request.event_id
    return event
