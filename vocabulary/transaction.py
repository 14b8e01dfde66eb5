"""Transaction entries and Bundles (https://hl7.org/fhir/R4/http.html#transaction), as JSON.

The one builder every writer uses: intake, import, the Green Form and the fixture loader.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from vocabulary.fhir import JSON


def url(resource: Mapping[str, Any]) -> str:
    """`Type/id` of a resource that has its id."""
    return f"{resource['resourceType']}/{resource['id']}"


def put(resource: JSON, if_match: str | None = None) -> JSON:
    """PUT at the resource's id. A deterministic id is a UUID, so it is its own fullUrl; other
    ids (conformance artefacts, fixtures) need none."""
    request: JSON = {"method": "PUT", "url": url(resource)}
    if if_match is not None:
        request["ifMatch"] = f'W/"{if_match}"'
    entry: JSON = {"resource": resource, "request": request}
    if _is_uuid(str(resource["id"])):
        entry = {"fullUrl": f"urn:uuid:{resource['id']}", **entry}
    return entry


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def create_if_none(resource: JSON, full_url: str, criteria: str) -> JSON:
    """A conditional create (https://hl7.org/fhir/R4/http.html#ccreate), addressed by
    `full_url` so that other entries can refer to whatever it matches or creates."""
    return {"fullUrl": full_url, "resource": resource,
            "request": {"method": "POST", "url": resource["resourceType"],
                        "ifNoneExist": criteria}}


def delete(target: str) -> JSON:
    return {"request": {"method": "DELETE", "url": target}}


def transaction(entries: Iterable[JSON]) -> JSON:
    return {"resourceType": "Bundle", "type": "transaction", "entry": list(entries)}


def puts(resources: Iterable[JSON]) -> JSON:
    """A transaction that PUTs every resource, so writing it twice changes nothing."""
    return transaction(put(r) for r in resources)


def batch(urls: Iterable[str]) -> JSON:
    """A batch of reads (https://hl7.org/fhir/R4/http.html#transaction): one round trip."""
    return {"resourceType": "Bundle", "type": "batch",
            "entry": [{"request": {"method": "GET", "url": u}} for u in urls]}

