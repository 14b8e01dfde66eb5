"""Small builders for Consents, requesters and labelled resources used across the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from consent import codes
from consent.requester import Membership, Requester

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
PRIVACY = {"coding": [{"system": codes.CONSENT_SCOPE, "code": "patient-privacy"}]}
ROI = [{"coding": [{"system": "http://loinc.org", "code": "64292-6"}]}]
HIPAA_AUTH = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/consentpolicycodes", "code": "hipaa-auth"}
    ]
}


# What intake recorded for Grace Okafor (CAST.md): her birth date, and her father's legal
# custody. Consents below are signed by him unless a test says otherwise.
GUARDIAN = "RelatedPerson/david-okafor"
# An authorization needs an expiry date (45 CFR 164.508(c)(1)(v)): the builders' one.
YEAR = {"start": "2026-01-01", "end": "2027-01-01"}
RECORD: list[dict[str, Any]] = [
    {"resourceType": "Patient", "id": "grace-okafor", "birthDate": "2010-06-21"},
    {
        "resourceType": "RelatedPerson",
        "id": "david-okafor",
        "patient": {"reference": "Patient/grace-okafor"},
        "relationship": [
            {"coding": [{"system": codes.LEGAL_AUTHORITY, "code": "legal-custody"}]}
        ],
    },
]


def requester(
    org: str = "capitol-peds",
    purpose: str = "TREAT",
    role: str = "pcp",
    patient: str | None = "Patient/grace-okafor",
    who: str = "Practitioner/ana-whitfield",
) -> Requester:
    teams = frozenset({Membership("CareTeam/team", patient)}) if patient else frozenset()
    return Requester(
        who=who,
        role=role,
        purpose=purpose,
        organization=f"Organization/{org}",
        care_teams=teams,
    )


def resource(
    *labels: str,
    rtype: str = "Observation",
    rid: str = "obs-1",
    patient: str = "Patient/grace-okafor",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "resourceType": rtype,
        "id": rid,
        "meta": {"security": [codes.label_coding(code) for code in labels]},
        "subject": {"reference": patient},
        **extra,
    }


def actor(reference: str) -> dict[str, Any]:
    role = {"coding": [{"system": codes.PARTICIPATION_TYPE, "code": "IRCP"}]}
    return {"role": role, "reference": {"reference": reference}}


def provision(
    kind: str | None = "permit",
    *,
    actors: tuple[str, ...] = (),
    purposes: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
    classes: tuple[str, ...] = (),
    children: tuple[dict[str, Any], ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    node: dict[str, Any] = {**extra}
    if kind:
        node["type"] = kind
    if actors:
        node["actor"] = [actor(a) for a in actors]
    if purposes:
        node["purpose"] = [{"system": codes.ACT_REASON, "code": p} for p in purposes]
    if labels:
        node["securityLabel"] = [codes.label_coding(code) for code in labels]
    if classes:
        node["class"] = [{"system": codes.RESOURCE_TYPES, "code": c} for c in classes]
    if children:
        node["provision"] = list(children)
    return node


def consent(
    root: dict[str, Any],
    cid: str = "c1",
    status: str = "active",
    patient: str = "Patient/grace-okafor",
    signer: str | None = None,
) -> dict[str, Any]:
    return {
        "resourceType": "Consent",
        "id": cid,
        "status": status,
        "scope": PRIVACY,
        "category": ROI,
        "patient": {"reference": patient},
        "performer": [{"reference": signer or GUARDIAN}],
        "policyRule": HIPAA_AUTH,
        "provision": {"period": YEAR, **root},
    }
