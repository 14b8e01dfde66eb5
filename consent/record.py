"""What the patient's own record says about who may act for them, recorded at intake.

Legal authority is data, never a role a client asserts: a RelatedPerson of the patient whose
`relationship` carries a code of the oneplan-legal-authority system. A Coverage names the payers
of the patient's coverage (45 CFR 164.506(c)(3)); a Patient gives the birth date age is computed
from; a PractitionerRole lets a Consent name a practitioner at one organization.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from consent import codes
from consent.dates import Period, span
from consent.references import of, patient_of

# A parent with legal custody, a court-appointed guardian, or DCF as guardian (CGS 45a-604).
REPRESENTATIVE_CODES = frozenset({"legal-custody", "legal-guardian", "dcf-guardian"})
# Only a guardian's authority continues after the patient turns 18 (CGS 45a-676).
ADULT_REPRESENTATIVE_CODES = frozenset({"legal-guardian"})
SUSPECTED_ABUSE = "suspected-abuse"  # 45 CFR 164.502(g)(5)


@dataclass(frozen=True)
class Authority:
    person: str
    patient: str
    codes: frozenset[str]
    period: Period | None

    def in_force(self, now: datetime) -> bool:
        return self.period is None or self.period.contains(now)


@dataclass(frozen=True)
class Coverage:
    patient: str
    payers: frozenset[str]
    period: Period | None


@dataclass(frozen=True)
class PatientRecord:
    authorities: tuple[Authority, ...] = ()
    coverages: tuple[Coverage, ...] = ()
    birth_dates: tuple[tuple[str, date], ...] = ()
    practitioner_roles: tuple[tuple[str, str | None, str | None], ...] = ()

    def authority(self, person: str, patient: str | None, now: datetime) -> frozenset[str]:
        found = (
            a.codes
            for a in self.authorities
            if a.person == person and a.patient == patient and a.in_force(now)
        )
        return frozenset().union(*found)

    def payers(self, patient: str | None, now: datetime) -> frozenset[str]:
        found = (
            c.payers
            for c in self.coverages
            if c.patient == patient and (c.period is None or c.period.contains(now))
        )
        return frozenset().union(*found)

    def birth_date(self, patient: str | None) -> date | None:
        return next((born for ref, born in self.birth_dates if ref == patient), None)

    def role_of(self, reference: str) -> tuple[str | None, str | None] | None:
        """The (practitioner, organization) a PractitionerRole reference stands for."""
        return next(((p, o) for ref, p, o in self.practitioner_roles if ref == reference), None)


def _authority(resource: Mapping[str, Any]) -> Authority | None:
    patient = patient_of(resource.get("patient"))
    if patient is None or resource.get("active") is False:
        return None
    found = frozenset(
        c["code"]
        for concept in resource.get("relationship", ())
        for c in concept.get("coding", ())
        if c.get("system") == codes.LEGAL_AUTHORITY and "code" in c
    )
    ref = f"RelatedPerson/{resource.get('id')}"
    return Authority(ref, patient, found, Period.parse(resource.get("period"))) if found else None


def _coverage(resource: Mapping[str, Any]) -> Coverage | None:
    patient = patient_of(resource.get("beneficiary"))
    if patient is None or resource.get("status") != "active":
        return None
    payers = frozenset(filter(None, (of(p) for p in resource.get("payor", ()))))
    return Coverage(patient, payers, Period.parse(resource.get("period")))


def _birth(resource: Mapping[str, Any]) -> tuple[str, date] | None:
    born = resource.get("birthDate")
    if not isinstance(born, str):
        return None
    return f"Patient/{resource.get('id')}", span(born)[0].date()


def _practitioner_role(resource: Mapping[str, Any]) -> tuple[str, str | None, str | None]:
    ref = f"PractitionerRole/{resource.get('id')}"
    return ref, of(resource.get("practitioner")), of(resource.get("organization"))


def patient_record(resources: Iterable[Mapping[str, Any]]) -> PatientRecord:
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for resource in resources:
        by_type.setdefault(str(resource.get("resourceType")), []).append(resource)
    return PatientRecord(
        authorities=tuple(filter(None, map(_authority, by_type.get("RelatedPerson", ())))),
        coverages=tuple(filter(None, map(_coverage, by_type.get("Coverage", ())))),
        birth_dates=tuple(filter(None, map(_birth, by_type.get("Patient", ())))),
        practitioner_roles=tuple(map(_practitioner_role, by_type.get("PractitionerRole", ()))),
    )


def age(born: date, now: datetime) -> int:
    today = now.date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
