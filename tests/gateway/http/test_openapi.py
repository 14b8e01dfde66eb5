"""GET /openapi.json says what the gateway really answers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.settings import Settings
from tests.gateway.http.fake_hapi import HAPI
from vocabulary.fhir import FHIR_JSON


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    with TestClient(create_app(Settings(hapi_url=HAPI, log_format="console"))) as client:
        document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{method.upper()} {path}", op) for path, item in spec["paths"].items()
            for method, op in item.items()]


def schema(spec: dict[str, Any], media: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][media["schema"]["$ref"].split("/")[-1]]
    return found


def test_every_error_is_an_operation_outcome_in_fhir_json(spec: dict[str, Any]) -> None:
    for name, op in operations(spec):
        errors = {status: r for status, r in op["responses"].items() if status >= "400"}
        assert "406" in errors, name
        for status, response in errors.items():
            assert list(response["content"]) == [FHIR_JSON], (name, status)
            outcome = schema(spec, response["content"][FHIR_JSON])
            assert outcome["properties"]["resourceType"] == {"const": "OperationOutcome"}


def test_fhir_operations_answer_fhir_json_with_a_resource_schema(spec: dict[str, Any]) -> None:
    expected = {"GET /fhir/metadata": "CapabilityStatement",
                "GET /fhir/Questionnaire/{questionnaire_id}": "Questionnaire",
                "GET /fhir/Questionnaire": "Bundle",
                "POST /fhir/QuestionnaireResponse": "QuestionnaireResponse",
                "POST /intake/{program}": "Bundle"}
    ops = dict(operations(spec))
    for name, resource_type in expected.items():
        ok = {s: r for s, r in ops[name]["responses"].items() if s.startswith("2")}
        assert ok, name
        for status, response in ok.items():
            shape = schema(spec, response["content"][FHIR_JSON])
            expect = "OperationOutcome" if status == "202" else resource_type
            assert shape["properties"]["resourceType"] == {"const": expect}
            assert "resourceType" in shape["required"]


@pytest.mark.parametrize(("name", "statuses"), [
    ("POST /fhir/QuestionnaireResponse", {"200", "201", "202", "400", "406", "408", "409",
                                          "413", "415", "422", "502", "503"}),
    ("POST /intake/{program}", {"200", "201", "202", "400", "404", "406", "408", "409", "413",
                                "415", "422", "502", "503"}),
    ("GET /fhir/Questionnaire", {"200", "400", "406"}),
    ("GET /fhir/Questionnaire/{questionnaire_id}", {"200", "404", "406"}),
    ("GET /intake/{program}/schema", {"200", "404", "406"}),
    ("GET /readyz", {"200", "406", "503"}),
    ("GET /outbox/{entry}", {"200", "404", "406", "422"}),
    ("GET /metrics", {"200", "406"}),
])
def test_every_status_an_operation_answers_is_documented(spec: dict[str, Any], name: str,
                                                         statuses: set[str]) -> None:
    assert set(dict(operations(spec))[name]["responses"]) == statuses


def test_request_bodies_are_documented_with_their_media_types(spec: dict[str, Any]) -> None:
    for name, op in operations(spec):
        if name.startswith("POST"):
            content = op["requestBody"]["content"]
            assert set(content) == {FHIR_JSON, "application/json"}, name
            assert op["requestBody"]["required"] is True


def test_the_schema_route_answers_schema_json(spec: dict[str, Any]) -> None:
    ok = dict(operations(spec))["GET /intake/{program}/schema"]["responses"]["200"]
    assert list(ok["content"]) == ["application/schema+json"]


def test_the_metrics_route_answers_the_prometheus_text_format(spec: dict[str, Any]) -> None:
    ok = dict(operations(spec))["GET /metrics"]["responses"]["200"]
    assert list(ok["content"]) == ["text/plain; version=0.0.4; charset=utf-8"]
    assert schema(spec, ok["content"]["text/plain; version=0.0.4; charset=utf-8"]) == {
        "type": "string", "description": "Prometheus text exposition format 0.0.4"}
