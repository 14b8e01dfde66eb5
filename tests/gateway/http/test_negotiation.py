"""The gateway speaks FHIR JSON only: other bodies get 415, other answers 406, on every route."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.http.negotiation import acceptable
from gateway.settings import Settings
from tests.gateway.http.fake_hapi import HAPI

GETS = ["/fhir/metadata", "/fhir/Questionnaire", "/fhir/Questionnaire/green-form",
        "/intake/home/schema", "/healthz", "/readyz"]
POSTS = ["/fhir/QuestionnaireResponse", "/intake/home"]


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, log_format="console"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def stable_code(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    assert body["resourceType"] == "OperationOutcome"
    return str(body["issue"][0]["details"]["coding"][0]["code"])


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("content_type", ["application/fhir+xml", "application/xml",
                                          "text/plain", "application/json; charset=latin-1"])
def test_a_body_that_is_not_fhir_json_is_415(client: TestClient, path: str,
                                             content_type: str) -> None:
    response = client.post(path, content=b"<QuestionnaireResponse/>",
                           headers={"Content-Type": content_type})
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/fhir+json"
    assert stable_code(response) == "unsupported-media-type"
    assert response.json()["issue"][0]["expression"] == ["Content-Type"]


@pytest.mark.parametrize("path", GETS + POSTS)
@pytest.mark.parametrize("accept", ["application/fhir+xml", "application/xml",
                                    "text/html", "application/fhir+json;q=0, application/xml"])
def test_an_answer_the_client_does_not_accept_is_406(client: TestClient, path: str,
                                                      accept: str) -> None:
    send = client.get if path in GETS else client.post
    response = send(path, headers={"Accept": accept})
    assert response.status_code == 406
    assert stable_code(response) == "not-acceptable"


@pytest.mark.parametrize("path", ["/fhir/metadata", "/fhir/Questionnaire"])
@pytest.mark.parametrize("query", ["_format=xml", "_format=application/fhir%2Bxml"])
def test_format_xml_is_406_even_when_accept_allows_json(client: TestClient, path: str,
                                                        query: str) -> None:
    response = client.get(f"{path}?{query}", headers={"Accept": "*/*"})
    assert response.status_code == 406
    assert response.json()["issue"][0]["expression"] == ["_format"]


@pytest.mark.parametrize("query", ["_format=json", "_format=application/fhir%2Bjson",
                                   "_format=application/json"])
def test_format_json_is_served_and_is_no_search_parameter(client: TestClient, query: str) -> None:
    response = client.get(f"/fhir/Questionnaire?{query}", headers={"Accept": "application/xml"})
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Bundle"


@pytest.mark.parametrize("accept", ["*/*", "application/*", "application/json",
                                    "application/fhir+json", "application/json+fhir",
                                    "application/fhir+xml;q=0.9, */*;q=0.1",
                                    "text/html, application/fhir+json;q=0.5", ""])
def test_json_answers_for_accept_with_q_values_and_wildcards(client: TestClient,
                                                             accept: str) -> None:
    response = client.get("/fhir/metadata", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"


def test_fhir_json_body_with_charset_is_read(client: TestClient) -> None:
    response = client.post("/fhir/QuestionnaireResponse", content=b'{"resourceType": "Patient"}',
                           headers={"Content-Type": "application/fhir+json; charset=UTF-8"})
    assert response.status_code == 422


@pytest.mark.parametrize(("accept", "produces", "expected"), [
    ("application/schema+json", "application/schema+json", True),
    ("application/json", "application/schema+json", True),
    ("application/fhir+json", "application/json", True),
    ("*/*;q=0", "application/json", False),
    ("*/*, application/fhir+json;q=0", "application/fhir+json", False),
    ("application/fhir+json;q=bad", "application/fhir+json", False),
    ("text/*", "application/fhir+json", False),
])
def test_acceptable(accept: str, produces: str, expected: bool) -> None:
    assert acceptable(accept, produces) is expected
