"""A Green Form marked entered-in-error withdraws its referral: the ServiceRequest is revoked,
the Task cancelled, and every other extracted resource that has a status says entered-in-error
(https://hl7.org/fhir/R4/lifecycle.html)."""

from __future__ import annotations

from collections.abc import Callable

from mappings.green_form.stamp import concept
from vocabulary.fhir import JSON

WITHDRAWN = "The Green Form was entered in error; the referral is withdrawn."


def _status(value: str) -> Callable[[JSON], JSON]:
    return lambda resource: {**resource, "status": value}


def _verification(name: str) -> Callable[[JSON], JSON]:
    """Conditions and allergies entered in error carry no clinical status (con-5, ait-2)."""
    def withdraw(resource: JSON) -> JSON:
        kept = {k: v for k, v in resource.items() if k != "clinicalStatus"}
        return {**kept, "verificationStatus": concept(name)}
    return withdraw


def _cancelled(task: JSON) -> JSON:
    return {**task, "status": "cancelled", "statusReason": {"text": WITHDRAWN}}


CHANGES: dict[str, Callable[[JSON], JSON]] = {
    "ServiceRequest": _status("revoked"),
    "Task": _cancelled,
    "QuestionnaireResponse": _status("entered-in-error"),
    "Observation": _status("entered-in-error"),
    "MedicationStatement": _status("entered-in-error"),
    "Consent": _status("entered-in-error"),
    "Condition": _verification("condition-entered-in-error"),
    "AllergyIntolerance": _verification("allergy-entered-in-error"),
}


def withdrawn(resource: JSON) -> JSON:
    change = CHANGES.get(resource["resourceType"])
    return change(resource) if change else resource
