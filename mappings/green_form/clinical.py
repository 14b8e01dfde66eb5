"""The clinical content of a referral: diagnoses and social needs (Condition), screenings
(Observation), medications (MedicationStatement) and allergies (AllergyIntolerance).

Each resource's discriminator is what it is about (the ICD-10-CM code, the instrument and date,
the medication's name), not its place on the form, so an amended form that reorders its lines
keeps the same ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from mappings.green_form.form import Allergy, Medication, Request, Screening
from mappings.green_form.stamp import Stamp, concept, table
from vocabulary.fhir import JSON


@dataclass(frozen=True)
class Subject:
    """Whose data it is, who recorded it and when: the same for every line of one form."""

    stamp: Stamp
    patient: JSON
    recorder: JSON
    recorded: str


def unique(keys: Iterable[str]) -> list[str]:
    """`keys` with a repeat made distinct (`x`, `x~2`), so no two resources share an id."""
    seen: Counter[str] = Counter()
    result = []
    for key in keys:
        seen[key] += 1
        result.append(key if seen[key] == 1 else f"{key}~{seen[key]}")
    return result


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def diagnosis(who: Subject, code: JSON, discriminator: str | None = None) -> JSON:
    """An ICD-10-CM diagnosis: https://hl7.org/fhir/R4/condition.html."""
    return who.stamp.resource(
        "Condition", discriminator or f"diagnosis/{code['code']}",
        clinicalStatus=concept("active"), verificationStatus=concept("confirmed"),
        category=[concept("encounter-diagnosis")],
        code={"coding": [code], "text": code.get("display")}, subject=who.patient,
        recordedDate=who.recorded, recorder=who.recorder,
    )


def diagnoses(who: Subject, codes: Iterable[JSON]) -> list[JSON]:
    return [diagnosis(who, code) for code in codes]


def social_needs(who: Subject, needs: Iterable[JSON]) -> list[JSON]:
    """SDOH concerns as health concerns, the domain as category (SDOH Clinical Care IG)."""
    return [who.stamp.resource(
        "Condition", f"sdoh/{need['code']}",
        clinicalStatus=concept("active"), verificationStatus=concept("unconfirmed"),
        category=[concept("health-concern"), {"coding": [need]}],
        code={"text": need.get("display")}, subject=who.patient,
        recordedDate=who.recorded, recorder=who.recorder,
    ) for need in needs]


def screenings(who: Subject, found: Iterable[Screening]) -> list[JSON]:
    items = list(found)
    keys = unique(f"screening/{s.instrument['code']}/{s.date}" for s in items)
    return [_screening(who, s, key) for s, key in zip(items, keys, strict=True)]


def _screening(who: Subject, screening: Screening, discriminator: str) -> JSON:
    """https://hl7.org/fhir/R4/observation.html, category survey."""
    instrument = screening.instrument
    return who.stamp.resource(
        "Observation", discriminator, status="final", category=[concept("survey")],
        code={"coding": [instrument], "text": instrument.get("display")}, subject=who.patient,
        effectiveDateTime=screening.date, performer=[who.recorder],
        valueInteger=screening.score, interpretation=[_interpretation(screening.positive)],
    )


def _interpretation(positive: bool) -> JSON:
    return {"coding": [dict(table("interpretation")[str(positive).lower()])]}


def medications(who: Subject, found: Iterable[Medication]) -> list[JSON]:
    items = list(found)
    keys = unique(f"medication/{slug(m.name)}" for m in items)
    return [who.stamp.resource(
        "MedicationStatement", key, status="active", medicationCodeableConcept={"text": m.name},
        subject=who.patient, dateAsserted=who.recorded, informationSource=who.recorder,
        dosage=[{"text": m.dose}] if m.dose else None,
    ) for m, key in zip(items, keys, strict=True)]


def allergies(who: Subject, request: Request) -> list[JSON]:
    """The allergies listed, or one "No known allergy" when the form says there are none."""
    if not request.allergies_known:
        code = {"coding": [dict(table("no_known_allergy"))],
                "text": table("no_known_allergy")["display"]}
        return [_allergy(who, "no-known-allergy", code, [], concept("allergy-confirmed"))]
    items = list(request.allergies)
    keys = unique(f"allergy/{slug(a.substance)}" for a in items)
    return [_allergy(who, key, {"text": a.substance}, _reactions(a))
            for a, key in zip(items, keys, strict=True)]


def _reactions(allergy: Allergy) -> list[JSON]:
    return [{"manifestation": [{"text": allergy.reaction}]}] if allergy.reaction else []


def _allergy(who: Subject, discriminator: str, code: JSON, reactions: list[JSON],
             verification: JSON | None = None) -> JSON:
    """https://hl7.org/fhir/R4/allergyintolerance.html"""
    return who.stamp.resource(
        "AllergyIntolerance", discriminator, clinicalStatus=concept("allergy-active"),
        verificationStatus=verification, code=code, patient=who.patient,
        recordedDate=who.recorded, recorder=who.recorder, reaction=reactions,
    )

