"""The role and purpose-of-use vocabulary: which roles may claim which purpose.

Client registration (auth) should refuse a client whose role may not claim its default purpose;
decide() refuses such a request anyway (consent/policy/purpose-of-use.yaml). Purposes are
v3-ActReason codes (https://terminology.hl7.org/CodeSystem-v3-ActReason.html).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class RoleKind(StrEnum):
    CLINICAL = "clinical"  # engaged in diagnosis or treatment (CGS 52-146f(1))
    CARE_COORDINATION = "care-coordination"
    BILLING = "billing"
    OPERATIONS = "operations"
    SCHOOL = "school"
    FAMILY = "family"
    PATIENT = "patient"
    PAYER = "payer"
    FRONT_DESK = "front-desk"


ROLES: MappingProxyType[str, RoleKind] = MappingProxyType(
    {
        "clinician": RoleKind.CLINICAL,
        "physician": RoleKind.CLINICAL,
        "pcp": RoleKind.CLINICAL,
        "emergency-physician": RoleKind.CLINICAL,
        "psychiatrist": RoleKind.CLINICAL,
        "psychologist": RoleKind.CLINICAL,
        "therapist": RoleKind.CLINICAL,
        "counselor": RoleKind.CLINICAL,
        "nurse": RoleKind.CLINICAL,
        "speech-language-pathologist": RoleKind.CLINICAL,
        "care-coordinator": RoleKind.CARE_COORDINATION,
        "service-coordinator": RoleKind.CARE_COORDINATION,
        "community-health-worker": RoleKind.CARE_COORDINATION,
        "wraparound-coordinator": RoleKind.CARE_COORDINATION,
        "billing": RoleKind.BILLING,
        "quality": RoleKind.OPERATIONS,
        "school-nurse": RoleKind.SCHOOL,
        "parent": RoleKind.FAMILY,
        "guardian": RoleKind.FAMILY,
        "natural-support": RoleKind.FAMILY,
        "patient": RoleKind.PATIENT,
        "payer": RoleKind.PAYER,
        "front-desk": RoleKind.FRONT_DESK,
    }
)

PROVIDER_KINDS = frozenset({RoleKind.CLINICAL, RoleKind.CARE_COORDINATION})
PURPOSE_KINDS: MappingProxyType[str, frozenset[RoleKind]] = MappingProxyType(
    {
        "TREAT": PROVIDER_KINDS,
        "CAREMGT": PROVIDER_KINDS,
        "COC": PROVIDER_KINDS | {RoleKind.SCHOOL},
        "ETREAT": frozenset({RoleKind.CLINICAL}),
        "HPAYMT": frozenset({RoleKind.BILLING, RoleKind.PAYER}),
        "HOPERAT": frozenset({RoleKind.OPERATIONS, RoleKind.BILLING}),
        "FAMRQT": frozenset({RoleKind.FAMILY}),
        "PWATRNY": frozenset({RoleKind.FAMILY}),
        "PATRQT": frozenset({RoleKind.PATIENT}),
    }
)
PURPOSES = frozenset(PURPOSE_KINDS)
# Kinds a provider organization's staff have; a RelatedPerson or a patient never claims them.
ORGANIZATION_KINDS = PROVIDER_KINDS | {
    RoleKind.BILLING,
    RoleKind.OPERATIONS,
    RoleKind.SCHOOL,
    RoleKind.PAYER,
    RoleKind.FRONT_DESK,
}


def role_kind(role: str) -> RoleKind | None:
    return ROLES.get(role)


def may_claim(role: str, purpose: str, who: str, organization: str | None) -> bool:
    """Whether a requester of `role` may ask for `purpose`: the role's kind is one the purpose
    allows, and organization kinds come from an organization, never a RelatedPerson."""
    kind = ROLES.get(role)
    if kind is None or kind not in PURPOSE_KINDS.get(purpose, frozenset()):
        return False
    if kind in ORGANIZATION_KINDS:
        return organization is not None and not who.startswith(("RelatedPerson/", "Patient/"))
    return True
