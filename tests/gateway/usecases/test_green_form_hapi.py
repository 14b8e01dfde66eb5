"""The Green Form end to end: through the gateway into the real local HAPI, and back."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.devtools.green_form_golden import Case, cases
from gateway.devtools.loader import fixture_paths, load_bundle, load_conformance
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore
from gateway.store.client import FhirClient
from mappings.green_form.extract import extract
from vocabulary.data import package_dir

REFERRALS = [c for c in cases() if c.valid and not c.is_feedback]
INVALID = [c for c in cases() if not c.valid]
TYPES = ("Patient", "RelatedPerson", "Practitioner", "Organization", "QuestionnaireResponse",
         "ServiceRequest", "Task", "Condition", "Observation", "MedicationStatement",
         "AllergyIntolerance", "Consent", "Provenance")


def case_id(case: Case) -> str:
    return case.name


@pytest.fixture(scope="module")
def gateway(hapi_url: str) -> Iterator[TestClient]:
    with FhirStore.at(hapi_url) as store:
        load_conformance(store, SYSTEM)
        for path in fixture_paths():
            load_bundle(store, SYSTEM, path)
    with TestClient(create_app(Settings(hapi_url=hapi_url))) as client:
        yield client


def submit(gateway: TestClient, case: Case, **changes: Any) -> Any:
    return gateway.post("/fhir/QuestionnaireResponse", json={**case.raw(), **changes},
                        headers={"content-type": "application/fhir+json"})


def tasks(hapi_url: str, service_request: str) -> list[dict[str, Any]]:
    """The loop's state as the PCP reads it: `GET Task?focus=ServiceRequest/<id>`."""
    bundle = httpx.get(f"{hapi_url}/Task", params={"focus": service_request}).json()
    return [e["resource"] for e in bundle.get("entry", [])]


def counts(hapi_url: str) -> Counter[str]:
    return Counter({t: httpx.get(f"{hapi_url}/{t}", params={"_summary": "count"}).json()["total"]
                    for t in TYPES})


def links(response: Any) -> dict[str, str]:
    """`Link` header: title (resource type) -> `Type/id`."""
    found = {}
    for part in response.headers["link"].split(", "):
        url, _, title = part.partition('; rel="related"; title=')
        found[title.strip('"')] = "/".join(url.strip("<>").split("/")[-2:])
    return found


def errors(fhir: FhirClient, resource: dict[str, Any]) -> list[str]:
    outcome = fhir.validate(resource)
    return [f"{i.diagnostics} @ {i.expression}" for i in outcome.issue
            if i.severity in ("error", "fatal")]


@pytest.mark.parametrize("case", REFERRALS, ids=case_id)
def test_referral_lands_valid_and_a_resubmission_updates(
        gateway: TestClient, hapi_url: str, fhir: FhirClient, case: Case) -> None:
    response = submit(gateway, case)
    assert response.status_code == 201, response.text
    stored = response.json()
    assert response.headers["location"].endswith(
        f"/fhir/QuestionnaireResponse/{stored['id']}/_history/1")
    related = links(response)
    found = tasks(hapi_url, related["ServiceRequest"])
    assert [(f"Task/{t['id']}", t["status"]) for t in found] == [(related["Task"], "requested")]
    written = [e["request"]["url"] for e in extract(case.raw())["entry"]
               if e["request"]["method"] == "PUT"]
    for url in [*written, fhir.read_json(related["ServiceRequest"])["subject"]["reference"]]:
        assert errors(fhir, fhir.read_json(url)) == [], url
    before = counts(hapi_url)
    again = submit(gateway, case)
    assert again.status_code == 200, again.text
    assert counts(hapi_url) == before


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid_form_is_422_and_hapi_is_unchanged(gateway: TestClient, hapi_url: str,
                                                  case: Case) -> None:
    before = counts(hapi_url)
    response = submit(gateway, case)
    assert response.status_code == 422
    assert response.json() == json.loads(case.expected.read_text(encoding="utf-8"))
    assert counts(hapi_url) == before


def test_feedback_closes_the_referral_loop(gateway: TestClient, hapi_url: str,
                                          fhir: FhirClient) -> None:
    referral, accepted, completed = (next(c for c in cases() if c.name == f"valid/{name}")
                                     for name in ("mateo-rivera-anxiety",
                                                  "mateo-rivera-anxiety-accepted",
                                                  "mateo-rivera-anxiety-completed"))
    service_request = links(submit(gateway, referral))["ServiceRequest"]
    states = []
    for feedback in (accepted, completed):
        response = submit(gateway, feedback)
        assert response.status_code in (200, 201), response.text
        [task] = tasks(hapi_url, service_request)
        states.append(task["status"])
    assert states == ["accepted", "completed"]
    assert fhir.read_json(service_request)["status"] == "completed"
    outputs = [o.get("valueReference", {}).get("reference", "") for o in task.get("output", [])]
    assert any(ref.startswith("QuestionnaireResponse/") for ref in outputs)


def test_amended_form_deletes_what_it_no_longer_says(gateway: TestClient,
                                                    fhir: FhirClient) -> None:
    case = next(c for c in REFERRALS if _diagnoses(c.raw()))
    first = submit(gateway, case)
    assert first.status_code in (200, 201), first.text
    conditions = [e["request"]["url"] for e in extract(case.raw())["entry"]
                  if e["request"]["url"].startswith("Condition/")]
    assert conditions
    amended = _without_diagnoses(case.raw())
    response = gateway.post("/fhir/QuestionnaireResponse", json={**amended, "status": "amended"})
    assert response.status_code == 200, response.text
    for condition in conditions:
        assert httpx.get(f"{fhir.base_url}/{condition}").status_code == 410


def test_withdrawn_form_revokes_the_referral(gateway: TestClient, fhir: FhirClient) -> None:
    case = next(c for c in REFERRALS if c.name == "valid/lily-chen-adhd-follow-up")
    related = links(submit(gateway, case))
    response = submit(gateway, case, status="entered-in-error")
    assert response.status_code == 200, response.text
    assert fhir.read_json(related["ServiceRequest"])["status"] == "revoked"
    assert fhir.read_json(related["Task"])["status"] == "cancelled"


# Invalid forms that only OnePlan rejects, and why HAPI's HL7 validator lets them through.
ONLY_ONEPLAN = {
    "invalid/missing-identifier": "a Green Form rule: the form number keys the resource ids",
    "invalid/no-husky-id-or-mrn": "questionnaire-constraint gf-1, which HAPI does not evaluate",
    "invalid/release-expires-before-signed": "questionnaire-constraint gf-2, likewise",
    "invalid/minor-consent-signed-by-father": "a Green Form rule: under a minor's own consent "
                                              "only the minor may sign",
    "invalid/birth-date-after-today": "a Green Form rule: the form is checked on the day it "
                                      "arrives",
}


def test_hl7_validator_in_hapi_agrees_except_where_oneplan_is_stricter(
        gateway: TestClient, fhir: FhirClient) -> None:
    """With the Green Form loaded, HAPI's `$validate` runs the HL7 validator's
    QuestionnaireResponse checks: it must accept every valid form and reject every invalid
    one, except those OnePlan is deliberately stricter about."""
    rejected = {c.name for c in cases() if errors(fhir, c.raw())}
    assert rejected == {c.name for c in INVALID} - set(ONLY_ONEPLAN)


def _diagnoses(response: dict[str, Any]) -> list[Any]:
    return [i for i in _items(response) if i["linkId"] == "diagnosis"]


def _items(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in node.get("item", []):
        yield item
        yield from _items(item)


def _without_diagnoses(node: dict[str, Any]) -> dict[str, Any]:
    if "item" not in node:
        return node
    kept = [_without_diagnoses(i) for i in node["item"] if i["linkId"] != "diagnosis"]
    return {**node, "item": kept}


def as_another_child(document: Any) -> Any:
    """Mateo's document, about a child with a HUSKY id and record ids of his own, so that this
    test's imports touch nothing the other tests on the shared HAPI write or read."""
    text = json.dumps(document)
    for mateo, other in (("014523876", OTHER_HUSKY_ID), ("HOME-2026-0142", "HOME-2026-8142"),
                         ("WRAP-2026-0042", "WRAP-2026-8042")):
        text = text.replace(mateo, other)
    return json.loads(text)


OTHER_HUSKY_ID = "014529912"


def total(hapi_url: str, resource_type: str, identifier: str) -> int:
    found = httpx.get(f"{hapi_url}/{resource_type}",
                      params={"identifier": identifier, "_summary": "count"}).json()
    return int(found["total"])


def test_a_child_imported_by_two_programs_lands_on_the_same_golden_patient(
        gateway: TestClient, hapi_url: str) -> None:
    for program in ("home", "wrapct"):
        record = json.loads((package_dir("fixtures") / "records" / program / "valid" /
                             "mateo-rivera.json").read_text(encoding="utf-8"))
        imported = gateway.post(f"/intake/{program}", json=as_another_child(record))
        assert imported.status_code == 201, imported.text
    husky = f"http://oneplan.example.org/fhir/sid/husky-member-id|{OTHER_HUSKY_ID}"
    assert total(hapi_url, "Patient", husky) == 3  # the programs' two, and the golden one
    golden = gateway.app.state.identities.golden_of(  # type: ignore[attr-defined]
        f"Patient/{imported.json()['entry'][0]['response']['location'].split('/')[1]}")
    case = next(c for c in REFERRALS if c.name == "valid/mateo-rivera-anxiety")
    form = as_another_child({**case.raw(), "identifier": {
        **case.raw()["identifier"], "value": "GF-2026-0012-after-import"}})
    response = gateway.post("/fhir/QuestionnaireResponse", json=form,
                            headers={"content-type": "application/fhir+json"})
    assert response.status_code == 201, response.text
    [own] = [e["request"]["url"] for e in extract(form)["entry"]
             if e["resource"]["resourceType"] == "Patient"]
    assert response.json()["subject"]["reference"] == f"Patient/{golden}"
    sources = httpx.get(f"{hapi_url}/Patient/{golden}").json()["link"]
    assert own in {link["other"]["reference"] for link in sources}
    assert total(hapi_url, "Patient", husky) == 4  # and the form's own


def test_forms_naming_the_same_npis_share_one_resource_each(gateway: TestClient,
                                                            hapi_url: str) -> None:
    for case in REFERRALS:
        assert submit(gateway, case).status_code in (200, 201)
    npi = "http://hl7.org/fhir/sid/us-npi"
    assert total(hapi_url, "Practitioner", f"{npi}|1376540294") == 1  # Dr. Whitfield
    assert total(hapi_url, "Organization", f"{npi}|1467558921") == 1  # Capitol Pediatrics
