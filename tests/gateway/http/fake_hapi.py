"""A HAPI stand-in at the transport (respx): it answers metadata, batch reads (nothing is
there) and transactions (everything is created), enough for each route's happy path."""

from __future__ import annotations

import json
import uuid

import httpx
import respx

HAPI = "http://hapi.test/fhir"


def fake_hapi(router: respx.MockRouter) -> None:
    router.get(f"{HAPI}/metadata").respond(
        200, json={"resourceType": "CapabilityStatement", "status": "active",
                   "software": {"name": "HAPI FHIR"}})
    router.post(HAPI).mock(side_effect=_bundle)


def _bundle(request: httpx.Request) -> httpx.Response:
    sent = json.loads(request.content)
    answer = "batch-response" if sent.get("type") == "batch" else "transaction-response"
    entries = [_entry(e, answer == "batch-response") for e in sent.get("entry", [])]
    return httpx.Response(200, json={"resourceType": "Bundle", "type": answer, "entry": entries})


def _entry(entry: dict[str, object], read: bool) -> dict[str, object]:
    if read:
        return {"response": {"status": "404 Not Found"}}
    resource = dict(entry.get("resource") or {})  # type: ignore[call-overload]
    resource.setdefault("id", str(uuid.uuid4()))
    resource["meta"] = {"versionId": "1"}
    where = f"{resource.get('resourceType')}/{resource['id']}/_history/1"
    return {"resource": resource, "response": {"status": "201 Created", "location": where}}
