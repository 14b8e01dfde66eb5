"""`POST /intake/{program}` and `GET /intake/{program}/schema`, with HAPI faked at the transport."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.devtools.golden import Case
from gateway.settings import Settings
from mappings.registry import PROGRAMS, map_record, schema
from tests.mappings.helpers import INVALID, VALID, case_id
from vocabulary import transaction as tx

HAPI = "http://hapi.test/fhir"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, hapi_retries=0, log_format="console",
                              sync_wait_ms=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def transaction_response(request: httpx.Request, status: str = "201 Created") -> httpx.Response:
    sent = json.loads(request.content)
    entries = [{"response": {"status": status, "location": f"{e['request']['url']}/_history/1"}}
               for e in sent["entry"]]
    return httpx.Response(200, json={"resourceType": "Bundle", "type": "transaction-response",
                                     "entry": entries})


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_schema_is_the_programs_published_schema(client: TestClient, program: str) -> None:
    response = client.get(f"/intake/{program}/schema")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/schema+json"
    assert response.json() == schema(program)


@pytest.mark.parametrize("case", VALID, ids=case_id)
@respx.mock
def test_valid_record_is_put_in_one_transaction(client: TestClient, case: Case) -> None:
    hapi = respx.post(HAPI).mock(side_effect=transaction_response)
    response = client.post(f"/intake/{case.program}", json=case.raw())
    assert response.status_code == 201, response.text
    assert response.json()["type"] == "transaction-response"
    sent = json.loads(hapi.calls.last.request.content)
    expected = [tx.url(r) for r in map_record(case.program, case.raw())]
    assert sent["type"] == "transaction"
    assert {e["request"]["method"] for e in sent["entry"]} == {"PUT"}
    urls = [e["request"]["url"] for e in sent["entry"]]
    assert urls[:len(expected)] == expected
    golden, *plan = urls[len(expected):]
    assert golden.startswith("Patient/")
    assert any(url.startswith("CarePlan/") for url in plan)
    assert hapi.call_count == 1


@respx.mock
def test_rewriting_an_unchanged_record_is_200(client: TestClient) -> None:
    respx.post(HAPI).mock(side_effect=lambda r: transaction_response(r, "200 OK"))
    response = client.post(f"/intake/{VALID[0].program}", json=VALID[0].raw())
    assert response.status_code == 200


@pytest.mark.parametrize("case", INVALID, ids=case_id)
@respx.mock
def test_invalid_record_is_422_at_its_field_and_writes_nothing(client: TestClient,
                                                               case: Case) -> None:
    hapi = respx.post(HAPI).mock(side_effect=transaction_response)
    response = client.post(f"/intake/{case.program}", json=case.raw())
    expected: dict[str, Any] = json.loads(case.expected.read_text(encoding="utf-8"))
    assert response.status_code == 422
    assert response.json() == expected
    if isinstance(case.raw(), dict):
        assert all(issue.get("expression") for issue in expected["issue"])
    assert not hapi.called


@respx.mock
def test_unknown_program_is_404_and_writes_nothing(client: TestClient) -> None:
    hapi = respx.post(HAPI).mock(side_effect=transaction_response)
    response = client.post("/intake/head-start", json={"record_id": "x"})
    assert response.status_code == 404
    assert response.json()["issue"][0]["expression"] == ["program"]
    assert client.get("/intake/head-start/schema").status_code == 404
    assert not hapi.called


@respx.mock
def test_hapi_down_is_202_then_the_kept_record_lands_when_hapi_is_back(
        client: TestClient) -> None:
    hapi = respx.post(HAPI).mock(side_effect=httpx.ConnectError("refused"))
    response = client.post(f"/intake/{VALID[0].program}", json=VALID[0].raw())
    assert response.status_code == 202, response.text
    assert response.json()["issue"][0]["severity"] == "information"
    where = response.headers["Content-Location"]
    status = client.get(where).json()
    assert status["state"] == "queued"
    assert "unreachable" in status["error"]
    hapi.side_effect = transaction_response
    status = until_settled(client, where)
    assert status["state"] == "sent"
    assert status["response"]["type"] == "transaction-response"
    assert status["attempts"] >= 2


def until_settled(client: TestClient, where: str, seconds: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while (status := client.get(where).json())["state"] == "queued":
        assert time.monotonic() < deadline, status
        time.sleep(0.05)
    return dict(status)


@respx.mock
def test_hapi_rejecting_the_transaction_is_422_with_hapis_words(client: TestClient) -> None:
    outcome = {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "processing",
         "diagnostics": "Resource Organization/home-hhc not found"}]}
    respx.post(HAPI).respond(400, json=outcome)
    response = client.post(f"/intake/{VALID[0].program}", json=VALID[0].raw())
    assert response.status_code == 422
    assert "Organization/home-hhc" in response.text


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(f"/intake/{VALID[0].program}", content=b'{"record_id": ',
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "structure"
