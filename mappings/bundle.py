"""A collection Bundle of one record's resources: https://hl7.org/fhir/R4/bundle.html."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from mappings.ids import resource_id


def collection(program: str, source_id: str, resources: Sequence[Any]) -> Any:
    """Bundle `type=collection` with a deterministic id; entries are addressed by `urn:uuid`."""
    return Bundle.model_validate({
        "resourceType": "Bundle",
        "id": resource_id(program, source_id, "Bundle"),
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r.id}", "resource": r} for r in resources],
    })


def transaction(resources: Sequence[Any]) -> Any:
    """Bundle `type=transaction` that PUTs every resource at its deterministic id, so writing
    it twice changes nothing: https://hl7.org/fhir/R4/http.html#transaction."""
    return Bundle.model_validate({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"fullUrl": f"urn:uuid:{r.id}", "resource": r,
                   "request": {"method": "PUT", "url": f"{r.get_resource_type()}/{r.id}"}}
                  for r in resources],
    })
