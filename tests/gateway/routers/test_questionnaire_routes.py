"""The gateway publishes the Green Form Questionnaire: read by id, search by canonical url."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.conformance import GREEN_FORM
from gateway.settings import Settings
from vocabulary.data import PROFILES

GENERATED = PROFILES / "fsh-generated" / "resources" / "Questionnaire-green-form.json"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url="http://hapi.test/fhir", log_format="console"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def green_form() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(GENERATED.read_text(encoding="utf-8"))
    return document


def test_read_by_id_is_the_compiled_questionnaire(client: TestClient) -> None:
    response = client.get("/fhir/Questionnaire/green-form")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.json() == green_form()


@pytest.mark.parametrize("url", [GREEN_FORM, f"{GREEN_FORM}|1.0.0"])
def test_search_by_url_finds_it(client: TestClient, url: str) -> None:
    bundle = client.get("/fhir/Questionnaire", params={"url": url}).json()
    assert (bundle["type"], bundle["total"]) == ("searchset", 1)
    [entry] = bundle["entry"]
    assert entry["resource"] == green_form()
    assert entry["fullUrl"].endswith("/fhir/Questionnaire/green-form")


@pytest.mark.parametrize("url", [f"{GREEN_FORM}|9.9.9", "http://example.org/other"])
def test_search_for_another_url_or_version_is_empty(client: TestClient, url: str) -> None:
    bundle = client.get("/fhir/Questionnaire", params={"url": url}).json()
    assert (bundle["total"], bundle["entry"]) == (0, [])


def test_unknown_questionnaire_is_404(client: TestClient) -> None:
    assert client.get("/fhir/Questionnaire/blue-form").status_code == 404


def test_unsupported_search_parameter_is_400_at_the_parameter(client: TestClient) -> None:
    response = client.get("/fhir/Questionnaire", params={"title": "Green"})
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["title"]


def test_capability_statement_lists_questionnaire_search(client: TestClient) -> None:
    rest = client.get("/fhir/metadata").json()["rest"][0]
    listed = {r["type"]: r for r in rest["resource"]}
    assert {"read", "search-type"} <= {i["code"] for i in listed["Questionnaire"]["interaction"]}
    assert [p["name"] for p in listed["Questionnaire"]["searchParam"]] == ["url"]
