"""A collection Bundle of one record's resources: https://hl7.org/fhir/R4/bundle.html."""

from __future__ import annotations

from collections.abc import Sequence

from mappings.ids import resource_id
from vocabulary.fhir import JSON


def collection(program: str, source_id: str, resources: Sequence[JSON]) -> JSON:
    """Bundle `type=collection` with a deterministic id; entries are addressed by `urn:uuid`."""
    return {
        "resourceType": "Bundle",
        "id": resource_id(program, source_id, "Bundle"),
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
