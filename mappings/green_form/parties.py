"""The people and organizations a referral names.

The child, the practices and the clinicians are shared with other forms and programs, so they
are never PUT from a form (DESIGN.md): each is a conditional create
(https://hl7.org/fhir/R4/http.html#ccreate) on its identifier, addressed by a `urn:uuid` that
HAPI replaces in the other entries with the matched or created resource. The guardian belongs
to the form and is PUT at its deterministic id.
"""

from __future__ import annotations

from dataclasses import dataclass

from mappings import systems
from mappings.datatypes import compact, human_name
from mappings.green_form.form import Child, Guardian, Referral
from mappings.green_form.stamp import SOURCE, Stamp, concept, shared_id, table
from mappings.people import legal_authority
from mappings.sdc import paths
from vocabulary.errors import UnmappableRecord
from vocabulary.fhir import JSON

INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"


@dataclass(frozen=True)
class Shared:
    """A shared resource, created only when no resource carries `identifier` yet. `what` names
    the identifier for a person, `expression` is the item that gave it."""

    resource: JSON
    identifier: JSON
    display: str
    what: str
    expression: str

    @property
    def url(self) -> str:
        return f"urn:uuid:{shared_id(self.resource['resourceType'], self.identifier)}"

    @property
    def ref(self) -> JSON:
        return {"reference": self.url, "display": self.display}

    @property
    def criteria(self) -> str:
        """The conditional create's search (`If-None-Exist`)."""
        return f"identifier={self.identifier['system']}|{self.identifier['value']}"


@dataclass(frozen=True)
class Parties:
    patient: Shared
    pcp_org: Shared
    bh_org: Shared
    pcp: Shared
    clinician: Shared | None

    def shared(self) -> list[Shared]:
        found = [self.pcp_org, self.bh_org, self.pcp, self.clinician, self.patient]
        return [s for s in found if s is not None]

    @property
    def performers(self) -> list[JSON]:
        """Who is asked to see the child: the agency, and the clinician if the form names one."""
        return [self.bh_org.ref, *([self.clinician.ref] if self.clinician else [])]


def parties(form: Referral) -> Parties:
    pcp, bh = form.pcp, form.bh
    pcp_org = _shared("Organization", _provider(pcp.practice), pcp.practice_npi,
                      pcp.practice, "pcp.practice-npi")
    bh_org = _shared("Organization", {**_provider(bh.agency), **_telecom(phone=bh.phone)},
                     bh.agency_npi, bh.agency, "bh.agency-npi")
    practitioner = _practitioner(pcp.name, pcp.npi,
                                 _telecom(phone=pcp.phone, fax=pcp.fax, email=pcp.direct),
                                 "pcp.npi")
    clinician = (_practitioner(bh.clinician, bh.clinician_npi, {}, "bh.clinician-npi")
                 if bh.clinician and bh.clinician_npi else None)
    patient = _patient(form, pcp_org.ref)
    return Parties(patient, pcp_org, bh_org, practitioner, clinician)


def _npi(value: str) -> JSON:
    return {"system": systems.NPI, "value": value}


def _item(link_id: str) -> str:
    """Where an answer of the form's groups sits (`pcp.npi` is in the group `pcp`)."""
    return paths.item(paths.item(paths.ROOT, link_id.split(".")[0]), link_id)


def _shared(resource_type: str, body: JSON, npi: str, display: str, link_id: str) -> Shared:
    identifier = _npi(npi)
    resource = {"resourceType": resource_type, "meta": {"source": SOURCE},
                "identifier": [identifier], "active": True, **body}
    return Shared(resource, identifier, display, f"The NPI {npi!r} of {display}",
                  _item(link_id))


def _provider(name: str) -> JSON:
    return {"type": [concept("healthcare-provider")], "name": name}


def _practitioner(name: str, npi: str, telecom: JSON, link_id: str) -> Shared:
    return _shared("Practitioner", {"name": [{"text": name}], **telecom}, npi, name, link_id)


def _telecom(phone: str | None = None, fax: str | None = None, email: str | None = None,
             use: str | None = "work") -> JSON:
    points = [compact(system=system, value=value, use=use)
              for system, value in (("phone", phone), ("fax", fax), ("email", email)) if value]
    return compact(telecom=points)


def _patient(form: Referral, practice: JSON) -> Shared:
    child = form.child
    identifiers = patient_identifiers(child, form.pcp.practice_npi, practice)
    resource = {
        "resourceType": "Patient", "meta": {"source": SOURCE},
        "extension": [{"url": INTERPRETER_REQUIRED, "valueBoolean": child.interpreter_needed}],
        "identifier": identifiers, "active": True,
        "name": [human_name(child.given, child.family)], "gender": child.sex,
        "birthDate": child.birth_date,
        "communication": [{"language": {"coding": [child.language],
                                        "text": child.language.get("display")},
                           "preferred": True}],
        "generalPractitioner": [practice],
    }
    display = f"{child.given} {child.family}"
    husky = bool(child.husky_id)
    what = (f"The child's HUSKY id {child.husky_id!r}" if husky
            else f"The child's medical record number {child.mrn!r}")
    return Shared(resource, identifiers[0], display, what,
                  _item("child.husky-id" if husky else "child.mrn"))


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
