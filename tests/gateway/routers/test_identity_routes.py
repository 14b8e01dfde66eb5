"""`POST /fhir/Patient/$match` and the review queue over HTTP, on the test's own database (no
HAPI is called): the golden records a Patient resembles, best first, with their score and
match grade; malformed parameters are a located 422; a stale decision is 409."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.settings import Settings
from mappings.registry import map_record
from tests.gateway.db.test_identity import fixture, keep, without_husky

GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url="http://hapi.test/fhir", hapi_retries=0,
                              log_format="console", worker=False))
    with TestClient(app, raise_server_exceptions=False) as c:
        parts = app.state.parts
        keep(parts.database, parts.identities, "home", fixture("home", "mateo-rivera"))
        keep(parts.database, parts.identities, "wrapct",
             without_husky(fixture("wrapct", "mateo-rivera"), "WRAP-2026-9201"))
        yield c


def parameters(patient: dict[str, Any], certain: bool = False) -> dict[str, Any]:
    return {"resourceType": "Parameters", "parameter": [
        {"name": "resource", "resource": patient},
        {"name": "onlyCertainMatches", "valueBoolean": certain}]}


def mateo() -> dict[str, Any]:
    resources = map_record("home", fixture("home", "mateo-rivera"))
    patient: dict[str, Any] = next(r for r in resources if r["resourceType"] == "Patient")
    return patient


def test_match_finds_the_golden_record_with_its_score_and_grade(client: TestClient) -> None:
    response = client.post("/fhir/Patient/$match", json=parameters(mateo()))
    assert response.status_code == 200, response.text
    bundle = response.json()
    assert bundle["type"] == "searchset"
    scores = [e["search"]["score"] for e in bundle["entry"]]
    assert scores == sorted(scores, reverse=True)
    best = bundle["entry"][0]
    assert best["resource"]["meta"]["tag"][0]["code"] == "golden-record"
    assert {"url": GRADE, "valueCode": "certain"} in best["search"]["extension"]
    certain = client.post("/fhir/Patient/$match", json=parameters(mateo(), certain=True))
    grades = [x["valueCode"] for e in certain.json()["entry"] for x in e["search"]["extension"]]
    assert grades == ["certain"]


def test_match_without_a_patient_is_422_at_the_parameter(client: TestClient) -> None:
    response = client.post("/fhir/Patient/$match",
                           json={"resourceType": "Parameters", "parameter": []})
    assert response.status_code == 422
    [issue] = response.json()["issue"]
    assert issue["expression"] == ["Parameters.parameter.where(name='resource')"]


def test_a_decision_on_a_stale_version_is_409_and_changes_nothing(client: TestClient) -> None:
    [candidate] = client.get("/identity/review").json()
    assert candidate["fields"]
    stale = client.post("/identity/decisions", json={
        "source": candidate["source"], "golden": candidate["golden"], "state": "MATCH",
        "version": candidate["version"] + 1})
    assert stale.status_code == 409
    assert stale.json()["issue"][0]["expression"] == ["version"]
    assert client.get("/identity/review").json() == [candidate]
