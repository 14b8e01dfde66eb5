"""The app skeleton: metadata, health, and errors as OperationOutcome."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from gateway.app import create_app
from gateway.settings import Settings
from vocabulary.errors import UnmappableRecord

HAPI = "http://hapi.test/fhir"


class Referral(BaseModel):
    urgency: str = Field(pattern="^(routine|urgent|emergent)$")


probe = APIRouter()


@probe.post("/probe/referral")
def accept(referral: Referral) -> dict[str, str]:
    return {"urgency": referral.urgency}


@probe.get("/probe/unmappable")
def unmappable() -> None:
    raise UnmappableRecord("no SNOMED code for service 'xyz'", expression="services[2].type")


@probe.get("/probe/crash")
def crash() -> None:
    raise RuntimeError("bug")


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, max_body_bytes=512, log_format="console"))
    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_metadata_is_an_r4_capability_statement(client: TestClient) -> None:
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    body = response.json()
    assert (body["resourceType"], body["fhirVersion"]) == ("CapabilityStatement", "4.0.1")
    assert "json" in body["format"]


def test_healthz_answers_without_hapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


@respx.mock
def test_readyz_is_ready_when_hapi_answers(client: TestClient) -> None:
    respx.get(f"{HAPI}/metadata").respond(
        200, json={"resourceType": "CapabilityStatement", "software": {"name": "HAPI FHIR"}})
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["hapi"]["software"] == {"name": "HAPI FHIR"}


@respx.mock
def test_readyz_stays_ready_while_hapi_is_down_and_reports_it(client: TestClient) -> None:
    respx.get(f"{HAPI}/metadata").respond(503)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["hapi"] == {"url": HAPI, "reachable": False}
    assert body["outbox"] == {"queued": 0, "dead": 0, "lag_seconds": 0.0}


def test_domain_error_points_at_the_field(client: TestClient) -> None:
    response = client.get("/probe/unmappable")
    assert response.status_code == 422
    issue = response.json()["issue"][0]
    assert issue["expression"] == ["services[2].type"]
    assert issue["details"]["coding"][0]["code"] == "unmappable-record"


def test_request_validation_error_points_at_the_field(client: TestClient) -> None:
    response = client.post("/probe/referral", json={"urgency": "whenever"})
    assert response.status_code == 422
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["expression"] == ["urgency"]


def test_malformed_json_is_400_structure(client: TestClient) -> None:
    response = client.post("/probe/referral", content=b'{"urgency": ',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "structure"


def test_declared_oversized_body_is_413(client: TestClient) -> None:
    response = client.post("/probe/referral", content=b"x" * 513)
    assert response.status_code == 413
    assert response.json()["issue"][0]["code"] == "too-costly"


def test_streamed_oversized_body_is_413(client: TestClient) -> None:
    chunks = iter([b'{"urgency": "', b"u" * 400, b"r" * 400, b'"}'])
    response = client.post("/probe/referral", content=chunks,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_unknown_path_is_404_outcome(client: TestClient) -> None:
    response = client.get("/fhir/Nothing/here")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"


def test_wrong_method_is_405_method_not_allowed_with_allow(client: TestClient) -> None:
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    issue = response.json()["issue"][0]
    assert (issue["code"], issue["details"]["coding"][0]["code"]) == ("not-supported",
                                                                      "method-not-allowed")


def test_get_on_a_post_route_names_post_in_allow(client: TestClient) -> None:
    response = client.get("/fhir/QuestionnaireResponse")
    assert (response.status_code, response.headers["allow"]) == (405, "POST")


def test_unexpected_error_is_500_outcome_without_internals(client: TestClient) -> None:
    response = client.get("/probe/crash")
    assert response.status_code == 500
    assert "bug" not in response.text
    assert response.json()["issue"][0]["code"] == "exception"
