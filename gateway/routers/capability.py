"""The gateway's own CapabilityStatement (https://hl7.org/fhir/R4/capabilitystatement.html)."""

from __future__ import annotations

from typing import Any

from gateway import __version__

SOFTWARE = "OnePlan gateway"


def capability_statement(base_url: str, released: str) -> dict[str, Any]:
    """What this gateway serves today; each new route adds its interactions here."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": released,
        "publisher": "OnePlan",
        "kind": "instance",
        "software": {"name": SOFTWARE, "version": __version__},
        "implementation": {"description": "OnePlan care-plan gateway", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{"mode": "server", "resource": RESOURCES}],
    }


RESOURCES: list[dict[str, Any]] = [
    {"type": "Questionnaire",
     "interaction": [{"code": "read"}, {"code": "search-type"}],
     "searchParam": [{"name": "url", "type": "uri"}]},
    {"type": "QuestionnaireResponse",
     "interaction": [{"code": "create"}],
     "documentation": "Green Form submissions: validated against the Questionnaire, then "
                      "extracted and written to the FHIR server in one transaction."},
]
