"""What decide() needs to know about a resource, read once from its JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from consent import codes
from consent.dates import span
from consent.labels import codings
from consent.references import of, patient_of

LABEL_SYSTEMS = frozenset(codes.LABEL_SYSTEMS.values())
PATIENT_FIELDS = ("subject", "patient", "beneficiary", "for")
AUTHOR_FIELDS = ("author", "performer", "recorder", "asserter", "requester", "authenticator")
# Resources about no one patient: the directory and conformance resources. Any other resource
# whose patient cannot be resolved is denied (fail closed).
NON_PATIENT_TYPES = frozenset(
    {
        "Organization",
        "Practitioner",
        "PractitionerRole",
        "Location",
        "HealthcareService",
        "Endpoint",
        "Questionnaire",
        "ValueSet",
        "CodeSystem",
        "StructureDefinition",
        "CapabilityStatement",
    }
)
# Where a resource says when its data is from, for Consent.provision.dataPeriod.
DATE_FIELDS = (
    ("effectiveDateTime",),
    ("effectivePeriod", "start"),
    ("period", "start"),
    ("authoredOn",),
    ("recordedDate",),
    ("onsetDateTime",),
    ("occurrenceDateTime",),
    ("authored",),
    ("created",),
    ("date",),
    ("issued",),
    ("meta", "lastUpdated"),
)


@dataclass(frozen=True)
class ResourceFacts:
    resource_type: str
    reference: str
    patient: str | None
    labels: frozenset[str]
    confidentiality: str | None
    source: str | None
    resource: Mapping[str, Any] = field(repr=False, compare=False)

    @cached_property
    def codings(self) -> frozenset[tuple[str, str]]:
        return frozenset(codings(self.resource))

    @cached_property
    def data_date(self) -> datetime | None:
        for path in DATE_FIELDS:
            value = _get(self.resource, path)
            if isinstance(value, str):
                return span(value)[0]
        return None

    @cached_property
    def authors(self) -> frozenset[str]:
        """Who wrote the record: its originator, for psychotherapy notes (164.508(a)(2))."""
        found = set()
        for name in AUTHOR_FIELDS:
            value = self.resource.get(name)
            items = value if isinstance(value, list) else [value]
            found |= {ref for item in items if (ref := of(item)) is not None}
        return frozenset(found)

    @property
    def unresolved(self) -> bool:
        """A patient's resource whose patient reference is missing or names no Patient."""
        return self.patient is None and self.resource_type not in NON_PATIENT_TYPES

    @property
    def effective_confidentiality(self) -> str:
        """An unlabelled resource is treated as restricted: fail closed."""
        return self.confidentiality or "R"


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _patient(resource: Mapping[str, Any], reference: str) -> str | None:
    if resource.get("resourceType") == "Patient":
        return reference
    for name in PATIENT_FIELDS:
        if name in resource:
            return patient_of(resource[name])
    return None


def resource_facts(resource: Mapping[str, Any]) -> ResourceFacts:
    meta = resource.get("meta") or {}
    security = [s for s in meta.get("security", ()) if s.get("system") in LABEL_SYSTEMS]
    labels = frozenset(s["code"] for s in security if "code" in s)
    confidentiality = [s["code"] for s in security if s.get("system") == codes.CONFIDENTIALITY]
    reference = f"{resource.get('resourceType')}/{resource.get('id')}"
    return ResourceFacts(
        resource_type=str(resource.get("resourceType")),
        reference=reference,
        patient=_patient(resource, reference),
        labels=labels,
        confidentiality=max(confidentiality, key=codes.CONFIDENTIALITY_CODES.index, default=None),
        source=codes.source_key(meta.get("source")),
        resource=resource,
    )
