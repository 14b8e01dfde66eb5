"""`POST /fhir/QuestionnaireResponse` with HAPI faked at the transport: what is checked before
anything is written, and what a submitter gets back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.devtools.green_form_golden import cases
from gateway.settings import Settings

HAPI = "http://hapi.test/fhir"
REFERRAL = next(c for c in cases() if c.name == "valid/mateo-rivera-anxiety")
NOT_FOUND = {"resourceType": "OperationOutcome",
             "issue": [{"severity": "error", "code": "not-found", "diagnostics": "gone"}]}


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, hapi_retries=0, log_format="console"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def post(client: TestClient, body: Any) -> Any:
    return client.post("/fhir/QuestionnaireResponse", json=body)


class FakeHapi:
    """Answers a transaction with 201s and then serves what it stored."""

    def __init__(self) -> None:
        self.stored: dict[str, Any] = {}

    def transaction(self, request: httpx.Request) -> httpx.Response:
        entries = json.loads(request.content)["entry"]
        for entry in entries:
            if entry["request"]["method"] == "PUT":
                self.stored[entry["request"]["url"]] = {
                    **entry["resource"], "meta": {"versionId": "1"}}
        return httpx.Response(200, json={"resourceType": "Bundle", "type": "transaction-response",
                                          "entry": [{"response": {"status": "201 Created"}}
                                                    for _ in entries]})

    def read(self, request: httpx.Request) -> httpx.Response:
        url = request.url.path.removeprefix("/fhir/")
        if url in self.stored:
            return httpx.Response(200, json=self.stored[url])
        return httpx.Response(404, json=NOT_FOUND)


@respx.mock
def test_referral_is_201_with_location_and_links(client: TestClient) -> None:
    hapi = FakeHapi()
    written = respx.post(HAPI).mock(side_effect=hapi.transaction)
    respx.get(url__startswith=HAPI).mock(side_effect=hapi.read)
    response = post(client, REFERRAL.raw())
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["resourceType"] == "QuestionnaireResponse"
    assert response.headers["location"] == (
        f"http://testserver/fhir/QuestionnaireResponse/{stored['id']}/_history/1")
    titles = [part.rsplit("title=", 1)[1] for part in response.headers["link"].split(", ")]
    assert titles == ['"ServiceRequest"', '"Task"']
    assert written.call_count == 1


@pytest.mark.parametrize(("body", "expression"), [
    ({"resourceType": "Patient"}, "QuestionnaireResponse.resourceType"),
    ({**REFERRAL.raw(), "status": "finished"}, "QuestionnaireResponse.status"),
    ({**REFERRAL.raw(), "questionnaire": "http://example.org/Questionnaire/phq-9"},
     "QuestionnaireResponse.questionnaire"),
])
@respx.mock
def test_bad_bodies_are_422_at_the_field_before_any_hapi_call(
        client: TestClient, body: dict[str, Any], expression: str) -> None:
    hapi = respx.route(url__startswith=HAPI).respond(500)
    response = post(client, body)
    assert response.status_code == 422, response.text
    assert [i.get("expression") for i in response.json()["issue"]] == [[expression]]
    assert not hapi.called


@respx.mock
def test_hapi_unreachable_is_503_and_no_transaction_is_sent(client: TestClient) -> None:
    respx.get(url__startswith=HAPI).mock(side_effect=httpx.ConnectError("refused"))
    written = respx.post(HAPI).respond(500)
    response = post(client, REFERRAL.raw())
    assert response.status_code == 503
    assert response.json()["issue"][0]["code"] == "transient"
    assert not written.called


@respx.mock
def test_feedback_about_an_unknown_referral_is_422_at_the_item(client: TestClient) -> None:
    feedback = next(c for c in cases() if c.name == "valid/mateo-rivera-anxiety-accepted")
    respx.get(url__startswith=HAPI).respond(404, json=NOT_FOUND)
    written = respx.post(HAPI).respond(500)
    response = post(client, feedback.raw())
    assert response.status_code == 422
    [issue] = response.json()["issue"]
    assert "feedback.referral" in issue["expression"][0]
    assert not written.called


@respx.mock
def test_resubmission_reads_the_task_and_provenance_the_first_one_wrote(
        client: TestClient) -> None:
    hapi = FakeHapi()
    respx.post(HAPI).mock(side_effect=hapi.transaction)
    reads = respx.get(url__startswith=HAPI).mock(side_effect=hapi.read)
    post(client, REFERRAL.raw())
    first = set(hapi.stored)
    reads.calls.reset()
    assert post(client, REFERRAL.raw()).status_code == 201
    read = {c.request.url.path.removeprefix("/fhir/") for c in reads.calls}
    wanted = {url for url in first if url.split("/")[0] in ("Task", "Provenance")}
    assert len(wanted) == 2
    assert wanted <= read
