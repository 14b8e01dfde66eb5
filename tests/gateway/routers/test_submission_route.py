"""`POST /fhir/QuestionnaireResponse` with HAPI faked at the transport by the golden harness's
in-memory `Server`: what is checked before anything is written, what a submitter gets back,
and that a submission costs at most two round trips to HAPI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.devtools.green_form_golden import Server, cases
from gateway.settings import Settings
from shared_plan.contribution import SOURCE as SHARED_PLAN
from tests.mappings.green_form.helpers import answer, form, item

HAPI = "http://hapi.test/fhir"
REFERRAL = next(c for c in cases() if c.name == "valid/mateo-rivera-anxiety")
ACCEPTED = next(c for c in cases() if c.name == "valid/mateo-rivera-anxiety-accepted")
HUSKY = "http://oneplan.example.org/fhir/sid/husky-member-id"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, hapi_retries=0, log_format="console",
                              sync_wait_ms=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def server() -> Server:
    return Server.loaded()


def post(client: TestClient, body: Any) -> Any:
    return client.post("/fhir/QuestionnaireResponse", json=body)


def served(server: Server, before: Callable[[httpx.Request], None] | None = None
           ) -> respx.Route:
    """Every request to HAPI answered by `server` (after `before`, if given)."""
    def respond(request: httpx.Request) -> httpx.Response:
        if before is not None:
            before(request)
        body = json.loads(request.content) if request.content else None
        path = request.url.path.removeprefix("/fhir").strip("/")
        status, document = server.answer(request.method, path, body)
        return httpx.Response(status, json=document)
    return respx.route(url__startswith=HAPI).mock(side_effect=respond)


def kinds(route: respx.Route) -> list[str]:
    """Each call's Bundle type (`batch`, `transaction`), or `GET` for a plain read."""
    return [json.loads(c.request.content)["type"] if c.request.method == "POST" else "GET"
            for c in route.calls]


@respx.mock
def test_referral_is_201_with_location_and_links_in_two_round_trips(
        client: TestClient, server: Server) -> None:
    hapi = served(server)
    response = post(client, REFERRAL.raw())
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["resourceType"] == "QuestionnaireResponse"
    assert stored == server.read(f"QuestionnaireResponse/{stored['id']}")
    assert response.headers["location"] == (
        f"http://testserver/fhir/QuestionnaireResponse/{stored['id']}/_history/1")
    titles = [part.rsplit("title=", 1)[1] for part in response.headers["link"].split(", ")]
    assert titles == ['"ServiceRequest"', '"Task"']
    assert kinds(hapi) == ["batch", "transaction"]
    sent = json.loads(hapi.calls[1].request.content)["entry"]
    assert "GET" not in {e["request"]["method"] for e in sent}, "the answer is not read back"


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
def test_hapi_unreachable_is_202_and_no_transaction_is_sent(client: TestClient) -> None:
    hapi = respx.route(url__startswith=HAPI).mock(side_effect=httpx.ConnectError("refused"))
    response = post(client, REFERRAL.raw())
    assert response.status_code == 202, response.text
    status = client.get(response.headers["Content-Location"]).json()
    assert status["state"] == "queued"
    assert "unreachable" in status["error"]
    assert set(kinds(hapi)) == {"batch"}


@respx.mock
def test_feedback_about_an_unknown_referral_is_422_at_the_item(
        client: TestClient, server: Server) -> None:
    hapi = served(server)
    response = post(client, ACCEPTED.raw())
    assert response.status_code == 422
    [issue] = response.json()["issue"]
    assert "feedback.referral" in issue["expression"][0]
    assert kinds(hapi) == ["batch"]


@respx.mock
def test_resubmission_reads_the_task_and_provenance_the_first_one_wrote(
        client: TestClient, server: Server) -> None:
    hapi = served(server)
    post(client, REFERRAL.raw())
    first = {url for url, resource in server.resources.items()
             if url.split("/")[0] in ("Task", "Provenance")
             and resource.get("meta", {}).get("source") != SHARED_PLAN}
    hapi.reset()
    again = post(client, REFERRAL.raw())
    assert again.status_code == 200, again.text
    batch = json.loads(hapi.calls[0].request.content)
    assert {e["request"]["url"] for e in batch["entry"]} == first
    assert len(first) == 2


def related(response: Any) -> dict[str, str]:
    """The `Link` header: title (resource type) -> `Type/id`."""
    found = {}
    for part in response.headers["link"].split(", "):
        url, _, title = part.partition('; rel="related"; title=')
        found[title.strip('"')] = "/".join(url.strip("<>").split("/")[-2:])
    return found


@respx.mock
def test_feedback_moves_the_task_and_a_concurrent_change_is_reread(
        client: TestClient, server: Server) -> None:
    armed: list[str] = []

    def someone_else_writes_the_task_first(request: httpx.Request) -> None:
        if armed and json.loads(request.content)["type"] == "transaction":
            task = armed.pop()
            server.transact({"entry": [{"fullUrl": "urn:uuid:other", "resource": server.read(task),
                                        "request": {"method": "PUT", "url": task}}]})

    hapi = served(server, someone_else_writes_the_task_first)
    task = related(post(client, REFERRAL.raw()))["Task"]
    armed.append(task)
    hapi.reset()
    response = post(client, ACCEPTED.raw())
    assert response.status_code == 201, response.text
    assert kinds(hapi) == ["batch", "transaction", "batch", "transaction"]
    assert server.read(task)["status"] == "accepted"
    assert server.read(task)["meta"]["versionId"] == "3"


@respx.mock
def test_withdrawn_form_revokes_the_referral(client: TestClient, server: Server) -> None:
    served(server)
    first = related(post(client, REFERRAL.raw()))
    response = post(client, {**REFERRAL.raw(), "status": "entered-in-error"})
    assert response.status_code == 200, response.text
    assert related(response) == first
    assert server.read(first["ServiceRequest"])["status"] == "revoked"
    assert server.read(first["Task"])["status"] == "cancelled"


@respx.mock
def test_a_child_already_imported_twice_is_written_as_the_forms_own_patient(
        client: TestClient, server: Server) -> None:
    husky = {"system": HUSKY, "value": "014523876"}
    mateo = {"resourceType": "Patient", "id": "rivera-mateo", "identifier": [husky]}
    server.resources["Patient/rivera-mateo"] = mateo
    server.resources["Patient/imported-mateo"] = {
        **copy.deepcopy(mateo), "id": "imported-mateo", "identifier": [husky]}
    kept = {url: copy.deepcopy(server.resources[url])
            for url in ("Patient/rivera-mateo", "Patient/imported-mateo")}
    hapi = served(server)
    response = post(client, REFERRAL.raw())
    assert response.status_code == 201, response.text
    child = response.json()["subject"]["reference"]
    assert child not in kept
    assert (HUSKY, "014523876") in {(i["system"], i["value"])
                                    for i in server.read(child)["identifier"]}
    assert {url: server.read(url) for url in kept} == kept
    assert kinds(hapi) == ["batch", "transaction"]


@respx.mock
def test_a_minors_own_release_signed_by_her_father_is_422_at_the_signer(
        client: TestClient) -> None:
    grace = form("grace-okafor-depression")
    assert item(grace, "consent.minor-self")["answer"] == [{"valueBoolean": True}]
    signed = answer(grace, "consent.signer-name", {"valueString": "David Okafor"})
    hapi = respx.route(url__startswith=HAPI).respond(500)
    response = post(client, signed)
    assert response.status_code == 422, response.text
    [issue] = response.json()["issue"]
    assert issue["expression"] == ["QuestionnaireResponse.item.where(linkId='consent')"
                                   ".item.where(linkId='consent.signer-name')"]
    assert "David Okafor" in issue["diagnostics"]
    assert not hapi.called
