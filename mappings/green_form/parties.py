"""The people and organizations a referral names.

The child is the form's own source Patient, PUT at the form's deterministic id; the gateway
links it to the child's golden Patient. A practice or clinician is known by its NPI alone: a
CAST organization's NPI refers to that organization, which the fixtures write once and no form
does; any other NPI's Organization or Practitioner is PUT at an id derived from the NPI, so
every form that names it writes the same resource. The guardian belongs to the form and is PUT
at its deterministic id.
"""

from __future__ import annotations

from dataclasses import dataclass

from mappings import systems
from mappings.datatypes import compact, human_name, organization, reference
from mappings.green_form.form import Child, Guardian, Referral
from mappings.green_form.stamp import SOURCE, Stamp, concept, table
from mappings.ids import resource_id
from mappings.people import legal_authority
from mappings.tables import common
from vocabulary.errors import UnmappableRecord
from vocabulary.fhir import JSON

INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"


@dataclass(frozen=True)
class Party:
    """Someone the form names: how its resources refer to them, and the resource the form
    writes for them (None for a CAST organization)."""

    ref: JSON
    resource: JSON | None = None


@dataclass(frozen=True)
class Parties:
    patient: Party
    pcp_org: Party
    bh_org: Party
    pcp: Party
    clinician: Party | None

    def written(self) -> list[JSON]:
        """The resources the form PUTs for them, each before what refers to it."""
        found = [self.pcp_org, self.bh_org, self.pcp, self.clinician, self.patient]
        return [p.resource for p in found if p is not None and p.resource is not None]

    @property
    def performers(self) -> list[JSON]:
        """Who is asked to see the child: the agency, and the clinician if the form names one."""
        return [self.bh_org.ref, *([self.clinician.ref] if self.clinician else [])]


def parties(form: Referral) -> Parties:
    pcp, bh = form.pcp, form.bh
    pcp_org = _organization(_provider(pcp.practice), pcp.practice_npi, pcp.practice)
    bh_org = _organization({**_provider(bh.agency), **_telecom(phone=bh.phone)},
                           bh.agency_npi, bh.agency)
    practitioner = _practitioner(pcp.name, pcp.npi,
                                 _telecom(phone=pcp.phone, fax=pcp.fax, email=pcp.direct))
    clinician = (_practitioner(bh.clinician, bh.clinician_npi, {})
                 if bh.clinician and bh.clinician_npi else None)
    child = form.child
    patient = Party(form.submission.stamp.ref("Patient", display=f"{child.given} {child.family}"),
                    source_patient(form, pcp_org.ref))
    return Parties(patient, pcp_org, bh_org, practitioner, clinician)


def npi_id(npi: str, resource_type: str) -> str:
    """The id of the Organization or Practitioner with this NPI, whatever form names it."""
    return resource_id("npi", npi, resource_type)


def cast_key(npi: str) -> str | None:
    """The CAST organization with this NPI, if one has it."""
    return next((key for key, known in common("npi").items() if known == npi), None)


def _organization(body: JSON, npi: str, display: str) -> Party:
    key = cast_key(npi)
    if key is not None:
        return Party(organization(key))
    return _by_npi("Organization", body, npi, display)


def _practitioner(name: str, npi: str, telecom: JSON) -> Party:
    return _by_npi("Practitioner", {"name": [{"text": name}], **telecom}, npi, name)


def _by_npi(resource_type: str, body: JSON, npi: str, display: str) -> Party:
    rid = npi_id(npi, resource_type)
    resource = {"resourceType": resource_type, "id": rid, "meta": {"source": SOURCE},
                "identifier": [{"system": systems.NPI, "value": npi}], "active": True, **body}
    return Party(reference(resource_type, rid, display), resource)


def _provider(name: str) -> JSON:
    return {"type": [concept("healthcare-provider")], "name": name}


def _telecom(phone: str | None = None, fax: str | None = None, email: str | None = None,
             use: str | None = "work") -> JSON:
    points = [compact(system=system, value=value, use=use)
              for system, value in (("phone", phone), ("fax", fax), ("email", email)) if value]
    return compact(telecom=points)


def source_patient(form: Referral, practice: JSON) -> JSON:
    """The child as this form names them, at the form's own Patient id."""
    child, stamp = form.child, form.submission.stamp
    return {
        "resourceType": "Patient", "id": stamp.id("Patient"), "meta": {"source": SOURCE},
        "extension": [{"url": INTERPRETER_REQUIRED, "valueBoolean": child.interpreter_needed}],
        "identifier": patient_identifiers(child, form.pcp.practice_npi, practice),
        "active": True, "name": [human_name(child.given, child.family)], "gender": child.sex,
        "birthDate": child.birth_date,
        "communication": [{"language": {"coding": [child.language],
                                        "text": child.language.get("display")},
                           "preferred": True}],
        "generalPractitioner": [practice],
    }


def patient_identifiers(child: Child, practice_npi: str, practice: JSON) -> list[JSON]:
    """The child's identifiers, the one to match on first: HUSKY id, else the practice MRN."""
    found: list[JSON] = []
    if child.husky_id:
        found.append({"type": concept("husky"), "system":
                      systems.identifier_system("husky-member-id"), "value": child.husky_id})
    if child.mrn:
        found.extend(_mrn(child, practice_npi, practice))
    return found


def _mrn(child: Child, practice_npi: str, practice: JSON) -> list[JSON]:
    key = table("mrn_systems").get(practice_npi)
    if key is None and not child.husky_id:
        raise UnmappableRecord(
            f"The MRN {child.mrn!r} cannot identify the child: OnePlan knows no medical record "
            f"number system of the practice with NPI {practice_npi}. Give the child's HUSKY id.",
            expression=child.mrn_expression)
    if key is None:  # the HUSKY id identifies the child; an MRN of no known system cannot
        return []
    return [{"type": concept("mrn"), "system": systems.identifier_system(key),
             "value": child.mrn, "assigner": practice}]


def guardian(stamp: Stamp, person: Guardian, patient: JSON) -> JSON:
    """The child's parent or guardian, as the practice records them on the form: the form's
    guardian group is where intake records who holds legal authority over the child, so the
    RelatedPerson carries it (consent/record.py). Another adult who signs does not."""
    return related_person(stamp, "guardian", patient, person.name, person.relationship,
                          _telecom(phone=person.phone, email=person.email, use=None),
                          authority=_authority(person.relationship))


def _authority(relationship: JSON) -> str:
    """A court-appointed guardian is a legal guardian; a parent, or a relative the practice
    records as the child's guardian, holds legal custody."""
    return "legal-guardian" if relationship.get("code") == "GUARD" else "legal-custody"


def related_person(stamp: Stamp, discriminator: str, patient: JSON, name: str,
                   relationship: JSON, telecom: JSON, authority: str | None = None) -> JSON:
    held = [legal_authority(authority)] if authority else []
    return stamp.resource("RelatedPerson", discriminator, active=True, patient=patient,
                          relationship=[{"coding": [relationship]}, *held],
                          name=[{"text": name}], **telecom)
