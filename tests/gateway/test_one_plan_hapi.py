"""One Family, One Plan, against the real local HAPI: Mateo's H.O.M.E., WrapCT and CYSHCN
records and his Green Form give one golden Patient and one shared plan; a wrong match undone
restores two children, each with a correct plan, and linking again restores one.

Mateo here has a HUSKY id and record ids of his own, so nothing else on the shared HAPI
writes his resources."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gateway.app import create_app
from gateway.db.schema import IdentityLink
from gateway.devtools.loader import fixture_paths, load_bundle, load_conformance
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore
from shared_plan.derive import plan_id
from vocabulary.data import package_dir

pytestmark = pytest.mark.hapi
AUDIOLOGY = "306247008"
RECORDS = package_dir("fixtures") / "records"
FORMS = package_dir("fixtures") / "green-form" / "valid"


def ours(document: Any, tag: str) -> Any:
    """Mateo's document with this module's HUSKY id and record ids."""
    text = json.dumps(document)
    husky = f"0145270{tag}"
    for mateo, other in (("014523876", husky), ("HOME-2026-0142", f"HOME-2026-7{tag}0"),
                         ("WRAP-2026-0042", f"WRAP-2026-7{tag}0"),
                         ("SPOC-2026-0014", f"SPOC-2026-7{tag}0"), ("GF-2026-0012", f"GF-7{tag}")):
        text = text.replace(mateo, other)
    return json.loads(text)


def record(program: str, tag: str = "01") -> Any:
    path = RECORDS / program / "valid" / "mateo-rivera.json"
    return ours(json.loads(path.read_text(encoding="utf-8")), tag)


def form(tag: str = "01") -> Any:
    path = FORMS / "mateo-rivera-anxiety.json"
    return ours(json.loads(path.read_text(encoding="utf-8")), tag)


@pytest.fixture(scope="module")
def gateway(hapi_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with FhirStore.at(hapi_url) as store:
        load_conformance(store, SYSTEM)
        for path in fixture_paths():
            load_bundle(store, SYSTEM, path)
    database = f"sqlite:///{Path(tmp_path_factory.mktemp('one-plan')) / 'oneplan.db'}"
    settings = Settings(hapi_url=hapi_url, database_url=database, sync_wait_ms=30_000)
    with TestClient(create_app(settings)) as client:
        yield client


def read(hapi_url: str, url: str) -> Any:
    response = httpx.get(f"{hapi_url}/{url}")
    assert response.status_code == 200, response.text
    return response.json()


def source_of(resources_answer: Any, resource_type: str = "Patient") -> str:
    """The `Type/id` a transaction-response says the record's first `resource_type` went to."""
    for entry in resources_answer["entry"]:
        location = entry["response"]["location"]
        if location.startswith(f"{resource_type}/"):
            return "/".join(location.split("/")[:2])
    raise AssertionError(f"no {resource_type} in the answer")


def golden_of(gateway: TestClient, source: str) -> str:
    golden = gateway.app.state.identities.golden_of(source)  # type: ignore[attr-defined]
    assert golden is not None
    return str(golden)


def services(plan: Any) -> list[set[str]]:
    """Each activity's ServiceRequests: its reference, and every contributor's."""
    found = []
    for activity in plan.get("activity", ()):
        text = json.dumps(activity)
        found.append({part.split('"')[0] for part in text.split('"ServiceRequest/')[1:]})
    return found


def codes(hapi_url: str, service_request: str) -> set[str]:
    resource = read(hapi_url, f"ServiceRequest/{service_request}")
    return {c["code"] for c in resource.get("code", {}).get("coding", ())}


def test_three_programs_and_a_green_form_give_one_golden_patient_and_one_plan(
        gateway: TestClient, hapi_url: str) -> None:
    answers = {}
    for program in ("home", "wrapct", "cyshcn"):
        response = gateway.post(f"/intake/{program}", json=record(program))
        assert response.status_code == 201, response.text
        answers[program] = response.json()
    submitted = gateway.post("/fhir/QuestionnaireResponse", json=form(),
                             headers={"content-type": "application/fhir+json"})
    assert submitted.status_code == 201, submitted.text

    goldens = {golden_of(gateway, source_of(a)) for a in answers.values()}
    assert len(goldens) == 1
    [golden] = goldens
    patient = read(hapi_url, f"Patient/{golden}")
    assert {link["other"]["reference"] for link in patient["link"]} >= {
        source_of(a) for a in answers.values()}
    plan = read(hapi_url, f"CarePlan/{plan_id(golden)}")
    assert plan["subject"]["reference"] == f"Patient/{golden}"
    activities = services(plan)
    audiology = [a for a in activities if any(AUDIOLOGY in codes(hapi_url, s) for s in a)]
    assert len(audiology) == 1
    assert len(audiology[0]) == 2
    listed = set().union(*activities)
    referral = submitted.headers["link"]
    assert any(s in referral for s in listed), "the Green Form's referral is in the plan"
    for program in ("wrapct", "home"):
        written = {e["response"]["location"].split("/")[1] for e in answers[program]["entry"]
                   if e["response"]["location"].startswith("ServiceRequest/")}
        active = {s for s in written
                  if read(hapi_url, f"ServiceRequest/{s}")["status"] in ("active", "draft")}
        assert active <= listed, program
    own = read(hapi_url, source_of(answers["wrapct"], "CarePlan"))
    assert own["subject"]["reference"] == f"Patient/{golden}"
    assert {p["reference"] for p in own["partOf"]} == {f"CarePlan/{plan_id(golden)}"}


def settled(gateway: TestClient, seconds: float = 60) -> None:
    """Wait until the worker has sent everything a decision queued."""
    outbox = gateway.app.state.store.outbox  # type: ignore[attr-defined]
    deadline = time.monotonic() + seconds
    while outbox.depth().queued and time.monotonic() < deadline:
        time.sleep(0.1)
    assert outbox.depth().queued == 0


def decide(gateway: TestClient, source: str, golden: str, state: str) -> Any:
    [candidate] = [c for c in gateway.get("/identity/review").json()
                   if c["source"] == source] or [None]
    with gateway.app.state.parts.database.reading() as session:  # type: ignore[attr-defined]
        version = session.scalar(select(IdentityLink.version).where(
            IdentityLink.source == source, IdentityLink.golden == golden))
    assert candidate is None or candidate["version"] == version
    response = gateway.post("/identity/decisions", json={
        "source": source, "golden": golden, "state": state, "version": version})
    assert response.status_code == 200, response.text
    settled(gateway)
    return response.json()


def subject(hapi_url: str, care_plan: str) -> str:
    return str(read(hapi_url, care_plan)["subject"]["reference"])


def test_unlinking_a_wrong_match_restores_two_children_and_linking_restores_one(
        gateway: TestClient, hapi_url: str) -> None:
    home = gateway.post("/intake/home", json=record("home", "02")).json()
    unsure = record("wrapct", "02")
    unsure["child"] = {**{k: v for k, v in unsure["child"].items() if k != "husky_id"},
                       "mrn": {"practice": "ccmc-ed", "number": "ED-7002"}}
    wrap = gateway.post("/intake/wrapct", json=unsure).json()
    mine, theirs = source_of(home), source_of(wrap)
    golden = golden_of(gateway, mine)
    assert golden_of(gateway, theirs) != golden
    pair = {(mine, golden_of(gateway, theirs)), (theirs, golden)}
    [candidate] = [c for c in gateway.get("/identity/review").json()
                   if (c["source"], c["golden"]) in pair]
    assert candidate["verdict"] == "POSSIBLE_MATCH"
    assert {f["field"] for f in candidate["fields"]} >= {"birth_date"}

    decide(gateway, candidate["source"], candidate["golden"], "MATCH")
    assert golden_of(gateway, theirs) == golden
    wrap_plan = source_of(wrap, "CarePlan")
    assert subject(hapi_url, wrap_plan) == f"Patient/{golden}"
    merged = set().union(*services(read(hapi_url, f"CarePlan/{plan_id(golden)}")))

    decide(gateway, theirs, golden, "NO_MATCH")
    apart = golden_of(gateway, theirs)
    assert apart != golden
    assert subject(hapi_url, wrap_plan) == f"Patient/{apart}"
    alone = set().union(*services(read(hapi_url, f"CarePlan/{plan_id(golden)}")))
    other = set().union(*services(read(hapi_url, f"CarePlan/{plan_id(apart)}")))
    assert alone
    assert other
    assert not alone & other
    assert alone | other == merged
    assert read(hapi_url, f"Patient/{apart}")["link"] == [
        {"other": {"reference": theirs}, "type": "seealso"}]

    decide(gateway, theirs, golden, "MATCH")
    assert golden_of(gateway, theirs) == golden_of(gateway, mine)
