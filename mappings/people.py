"""The child, the family and the team: Patient, RelatedPerson and CareTeam.

https://hl7.org/fhir/R4/patient.html, https://hl7.org/fhir/R4/relatedperson.html,
https://hl7.org/fhir/R4/careteam.html
"""

from __future__ import annotations

from datetime import date

from consent.codes import LEGAL_AUTHORITY, LEGAL_AUTHORITY_DISPLAYS
from mappings import systems
from mappings.datatypes import (
    JSON,
    compact,
    concept,
    human_name,
    organization,
    period,
    person,
    text_concept,
)
from mappings.origin import Origin
from mappings.record import Child, Guardian, Staff
from mappings.tables import common

INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"


def patient(origin: Origin, child: Child) -> JSON:
    return origin.resource(
        "Patient",
        identifier=[origin.identifier(), *_child_identifiers(child)],
        extension=[{"url": INTERPRETER_REQUIRED, "valueBoolean": child.interpreter_needed}],
        name=[human_name(child.first_name, child.last_name)],
        gender=common("sex")[child.sex],
        birthDate=child.date_of_birth.isoformat(),
        communication=[{"language": _language(child.preferred_language), "preferred": True}],
    )


def _child_identifiers(child: Child) -> list[JSON]:
    found: list[JSON] = []
    if child.husky_id:
        found.append({"system": systems.identifier_system("husky-member-id"),
                      "value": child.husky_id})
    if child.mrn:
        key = common("practice_mrn_systems")[child.mrn.practice]
        found.append({"type": {"coding": [_MRN_TYPE]}, "system": systems.identifier_system(key),
                      "value": child.mrn.number, "assigner": organization(child.mrn.practice)})
    return found


_MRN_TYPE = {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
             "display": "Medical record number"}


def _language(code: str) -> JSON:
    display = common("languages")[code]
    return concept({"system": "bcp47", "code": code, "display": display}, text=display)


def relationship(key: str) -> JSON:
    """A relationship from the `relationships` table; uncoded ones keep the program's word."""
    spec = common("relationships")[key]
    text = key.replace("-", " ")
    return concept(spec, text=text) if spec else text_concept(text)


def related_person(origin: Origin, discriminator: str, name: JSON, relation: str,
                   phone: str | None = None, authority: str | None = None) -> JSON:
    telecom = [{"system": "phone", "value": phone}] if phone else []
    held = [legal_authority(authority)] if authority else []
    return origin.resource("RelatedPerson", discriminator, active=True, patient=origin.patient,
                           relationship=[relationship(relation), *held], name=[name],
                           telecom=telecom)


def legal_authority(code: str) -> JSON:
    """Legal authority over the child as intake records it (consent/record.py reads it)."""
    coding = {"system": LEGAL_AUTHORITY, "code": code, "display": LEGAL_AUTHORITY_DISPLAYS[code]}
    return {"coding": [coding]}


def parental_authority(relation: str | None) -> str | None:
    """The legal authority a recorded relationship carries by itself: a parent's custody, a
    guardian's guardianship. A grandparent, relative or friend on a team holds none unless
    intake records it as the child's guardian."""
    return {"mother": "legal-custody", "father": "legal-custody",
            "legal-guardian": "legal-guardian"}.get(relation or "")


def guardian(origin: Origin, parent: Guardian, discriminator: str = "guardian") -> JSON:
    """The record's parent or guardian: the program records them as holding legal authority
    over the child, a court-appointed guardian as legal guardian, anyone else as custody. Other
    people on the record (a Wraparound team's natural supports) hold none."""
    name = human_name(parent.first_name, parent.last_name)
    held = "legal-guardian" if parent.relationship == "legal-guardian" else "legal-custody"
    return related_person(origin, discriminator, name, parent.relationship, parent.phone, held)


def guardian_display(parent: Guardian) -> str:
    return f"{parent.first_name} {parent.last_name}"


def guardian_member(origin: Origin, parent: Guardian, role: str,
                    discriminator: str = "guardian") -> JSON:
    """A parent or guardian on the team: the RelatedPerson `guardian` maps them to."""
    return member(role, origin.ref("RelatedPerson", discriminator, guardian_display(parent)))


def member(role: str, who: JSON, on_behalf_of: JSON | None = None) -> JSON:
    return compact(role=[text_concept(role)], member=who, onBehalfOf=on_behalf_of)


def staff_member(staff: Staff) -> JSON:
    return member(staff.role, person(staff.name), organization(staff.organization))


def care_team(origin: Origin, name: str, participants: list[JSON], start: date) -> JSON:
    return origin.resource(
        "CareTeam", status="active", name=name, subject=origin.patient, period=period(start),
        participant=participants, managingOrganization=[organization(origin.custodian)],
    )
