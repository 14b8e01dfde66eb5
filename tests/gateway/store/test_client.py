"""The FHIR client against faults injected at the httpx transport (respx)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fhir.resources.R4B.patient import Patient

from gateway.store.client import FhirClient
from gateway.store.retry import RetryPolicy
from vocabulary.errors import (
    FhirServerError,
    MalformedResponse,
    ResourceConflict,
    ServerNotFound,
    ServerRejected,
    ServerUnavailable,
    VersionConflict,
)

BASE = "http://hapi.test/fhir"
MATEO = {"resourceType": "Patient", "id": "rivera-mateo", "birthDate": "2016-03-14"}


def outcome(diagnostics: str) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "processing", "diagnostics": diagnostics}]}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[FhirClient]:
    with FhirClient(BASE, retry=RetryPolicy(attempts=2, backoff=0.1), sleep=sleeps.append) as c:
        yield c


@respx.mock
def test_read_returns_a_typed_resource(client: FhirClient) -> None:
    respx.get(f"{BASE}/Patient/rivera-mateo").respond(200, json=MATEO)
    patient = client.read(Patient, "rivera-mateo")
    assert isinstance(patient, Patient)
    assert str(patient.birthDate) == "2016-03-14"


@respx.mock
def test_not_found_carries_the_parsed_outcome(client: FhirClient) -> None:
    respx.get(f"{BASE}/Patient/nobody").respond(404, json=outcome("HAPI-2001: not known"))
    with pytest.raises(ServerNotFound) as caught:
        client.read(Patient, "nobody")
    assert caught.value.upstream_status == 404
    assert caught.value.outcome == outcome("HAPI-2001: not known")
    assert "HAPI-2001" in caught.value.message


@pytest.mark.parametrize(
    ("status", "diagnostics", "error"),
    [
        (409, "HAPI-0550: version 2 is not the current version", VersionConflict),
        (409, "HAPI-0989: Trying to update with a stale version", VersionConflict),
        (412, "Precondition failed", VersionConflict),
        (409, "HAPI-0825: resource is referenced", ResourceConflict),
        (400, "HAPI-0450: bad body", ServerRejected),
        (422, "HAPI-0451: unprocessable", ServerRejected),
        (500, "HAPI-0001: boom", FhirServerError),
    ],
)
@respx.mock
def test_status_codes_map_to_errors(client: FhirClient, status: int, diagnostics: str,
                                    error: type[FhirServerError]) -> None:
    respx.put(f"{BASE}/Patient/rivera-mateo").respond(status, json=outcome(diagnostics))
    with pytest.raises(FhirServerError) as caught:
        client.update(Patient.model_validate(MATEO), if_match="1")
    assert type(caught.value) is error
    assert caught.value.outcome is not None


@respx.mock
def test_update_sends_if_match_as_a_weak_etag(client: FhirClient) -> None:
    route = respx.put(f"{BASE}/Patient/rivera-mateo").respond(200, json=MATEO)
    client.update(Patient.model_validate(MATEO), if_match="3")
    assert route.calls.last.request.headers["If-Match"] == 'W/"3"'


@respx.mock
def test_get_is_retried_on_429_honouring_retry_after(client: FhirClient,
                                                     sleeps: list[float]) -> None:
    route = respx.get(f"{BASE}/Patient/rivera-mateo")
    route.side_effect = [httpx.Response(429, headers={"Retry-After": "2"}),
                         httpx.Response(200, json=MATEO)]
    assert client.read(Patient, "rivera-mateo").id == "rivera-mateo"
    assert route.call_count == 2
    assert sleeps == [2.0]


@respx.mock
def test_get_gives_up_after_bounded_retries_with_backoff(client: FhirClient,
                                                         sleeps: list[float]) -> None:
    route = respx.get(f"{BASE}/Patient/rivera-mateo").respond(503, json=outcome("down"))
    with pytest.raises(ServerUnavailable):
        client.read(Patient, "rivera-mateo")
    assert route.call_count == 3
    assert sleeps == [0.1, 0.2]


@respx.mock
def test_get_is_retried_after_a_timeout(client: FhirClient) -> None:
    route = respx.get(f"{BASE}/Patient/rivera-mateo")
    route.side_effect = [httpx.ReadTimeout("slow"), httpx.Response(200, json=MATEO)]
    assert client.read(Patient, "rivera-mateo").id == "rivera-mateo"
    assert route.call_count == 2


@respx.mock
def test_plain_post_is_not_retried_after_503(client: FhirClient) -> None:
    route = respx.post(f"{BASE}/Patient").respond(503, json=outcome("busy"))
    with pytest.raises(ServerUnavailable):
        client.create(Patient.model_validate(MATEO))
    assert route.call_count == 1


@respx.mock
def test_plain_post_is_not_retried_after_a_read_timeout(client: FhirClient) -> None:
    route = respx.post(f"{BASE}/Patient").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(ServerUnavailable):
        client.create(Patient.model_validate(MATEO))
    assert route.call_count == 1


@respx.mock
def test_plain_post_is_retried_when_it_never_left(client: FhirClient) -> None:
    route = respx.post(f"{BASE}/Patient")
    created = httpx.Response(201, json=MATEO, headers={"Location": "Patient/x/_history/1"})
    route.side_effect = [httpx.ConnectError("refused"), httpx.Response(429), created]
    written = client.create(Patient.model_validate(MATEO))
    assert written.created
    assert route.call_count == 3


@respx.mock
def test_conditional_create_is_retried_and_sends_if_none_exist(client: FhirClient) -> None:
    route = respx.post(f"{BASE}/Patient")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=MATEO)]
    written = client.create(Patient.model_validate(MATEO), if_none_exist="identifier=s|1")
    assert route.call_count == 2
    assert route.calls.last.request.headers["If-None-Exist"] == "identifier=s|1"
    assert not written.created


def transaction(*methods: str) -> dict[str, Any]:
    entries = [{"resource": MATEO, "request": {"method": m, "url": "Patient/rivera-mateo"
                                               if m == "PUT" else "Patient"}} for m in methods]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


@respx.mock
def test_transaction_of_puts_is_retried(client: FhirClient) -> None:
    response = {"resourceType": "Bundle", "type": "transaction-response"}
    route = respx.post(BASE)
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=response)]
    assert client.transaction(transaction("PUT", "PUT"))["type"] == "transaction-response"
    assert route.call_count == 2


@respx.mock
def test_transaction_with_a_plain_post_is_not_retried(client: FhirClient) -> None:
    route = respx.post(BASE).respond(503)
    with pytest.raises(ServerUnavailable):
        client.transaction(transaction("PUT", "POST"))
    assert route.call_count == 1


@respx.mock
def test_unreachable_server_is_unavailable(client: FhirClient) -> None:
    respx.get(f"{BASE}/metadata").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ServerUnavailable, match="unreachable"):
        client.capabilities()


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>proxy error</html>"),
        httpx.Response(200, json=["not", "a", "resource"]),
        httpx.Response(200, json={"resourceType": "Observation", "id": "x"}),
        httpx.Response(200, json={"resourceType": "Patient", "gender": 7, "birthDate": "soon"}),
    ],
)
@respx.mock
def test_malformed_responses_are_reported(client: FhirClient, response: httpx.Response) -> None:
    respx.get(f"{BASE}/Patient/rivera-mateo").mock(return_value=response)
    with pytest.raises(MalformedResponse):
        client.read(Patient, "rivera-mateo")


@respx.mock
def test_search_follows_next_links_across_pages(client: FhirClient) -> None:
    def page(ids: list[str], next_url: str | None) -> dict[str, Any]:
        links = [{"relation": "next", "url": next_url}] if next_url else []
        return {"resourceType": "Bundle", "type": "searchset", "link": links,
                "entry": [{"resource": {**MATEO, "id": i}} for i in ids]}
    respx.get(f"{BASE}/Patient", params={"_count": "2"}).respond(
        200, json=page(["a", "b"], f"{BASE}?_getpages=p1&_getpagesoffset=2"))
    respx.get(BASE, params={"_getpages": "p1"}).respond(200, json=page(["c"], None))
    found = client.search_all("Patient", {"_count": "2"})
    assert [r.id for r in found] == ["a", "b", "c"]


@respx.mock
def test_validate_returns_the_outcome_of_an_invalid_resource(client: FhirClient) -> None:
    respx.post(f"{BASE}/Patient/$validate").respond(412, json=outcome("gender: bogus"))
    result = client.validate({"resourceType": "Patient", "gender": "bogus"})
    assert result.issue[0].diagnostics == "gender: bogus"


def test_every_request_has_a_timeout() -> None:
    with FhirClient(BASE, timeout=4.0) as c:
        timeout = c._http.timeout
    assert (timeout.read, timeout.connect) == (4.0, 4.0)


@respx.mock
def test_body_is_fhir_json_without_nulls(client: FhirClient) -> None:
    route = respx.put(f"{BASE}/Patient/rivera-mateo").respond(200, json=MATEO)
    client.update(Patient.model_validate(MATEO))
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/fhir+json"
    assert json.loads(request.content) == MATEO
