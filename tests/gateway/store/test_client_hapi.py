"""The FHIR client's operations against the real local HAPI."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient

from gateway.store.client import FhirClient
from vocabulary.errors import ServerNotFound, VersionConflict

NPI = "http://hl7.org/fhir/sid/us-npi"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def patient(pid: str, **extra: Any) -> Patient:
    return Patient.model_validate({"resourceType": "Patient", "id": pid,
                                   "name": [{"family": "Okafor", "given": ["Grace"]}],
                                   "birthDate": "2010-06-21", **extra})


def test_update_with_a_client_id_creates_then_reads_back(fhir: FhirClient) -> None:
    pid = unique("okafor-grace")
    written = fhir.update(patient(pid))
    assert written.created
    assert [n.family for n in fhir.read(Patient, pid).name or []] == ["Okafor"]


def test_stale_if_match_is_a_version_conflict(fhir: FhirClient) -> None:
    pid = unique("okafor-grace")
    fhir.update(patient(pid))
    fhir.update(patient(pid, gender="female"), if_match="1")
    with pytest.raises(VersionConflict) as caught:
        fhir.update(patient(pid, gender="unknown"), if_match="1")
    assert caught.value.outcome is not None
    assert fhir.read(Patient, pid).gender == "female"


def test_conditional_create_does_not_duplicate(fhir: FhirClient) -> None:
    npi = str(uuid.uuid4().int)[:10]
    org = Organization.model_validate({"resourceType": "Organization", "name": "Harbor",
                                       "identifier": [{"system": NPI, "value": npi}]})
    first = fhir.create(org, if_none_exist=f"identifier={NPI}|{npi}")
    second = fhir.create(org, if_none_exist=f"identifier={NPI}|{npi}")
    assert (first.created, second.created) == (True, False)
    assert len(fhir.search_all("Organization", {"identifier": f"{NPI}|{npi}"})) == 1


def test_conditional_update_creates_once_then_updates(fhir: FhirClient) -> None:
    system, value = "http://oneplan.example.org/fhir/sid/test", unique("mrn")
    body = Patient.model_validate({"resourceType": "Patient",
                                   "identifier": [{"system": system, "value": value}]})
    criteria = {"identifier": f"{system}|{value}"}
    assert fhir.conditional_update(body, criteria).created
    assert not fhir.conditional_update(body, criteria).created
    assert len(fhir.search_all("Patient", criteria)) == 1


def test_read_of_a_missing_resource_is_not_found(fhir: FhirClient) -> None:
    with pytest.raises(ServerNotFound) as caught:
        fhir.read(Patient, unique("nobody"))
    assert caught.value.outcome is not None


def test_transaction_resolves_placeholders_and_is_atomic(fhir: FhirClient) -> None:
    pid, org_ref = unique("okafor-daniel"), f"urn:uuid:{uuid.uuid4()}"
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": org_ref, "resource": {"resourceType": "Organization", "name": "Harbor"},
         "request": {"method": "POST", "url": "Organization"}},
        {"resource": {"resourceType": "Patient", "id": pid,
                      "managingOrganization": {"reference": org_ref}},
         "request": {"method": "PUT", "url": f"Patient/{pid}"}}]}
    response = fhir.transaction(bundle)
    assert response["type"] == "transaction-response"
    stored = fhir.read(Patient, pid).managingOrganization
    assert stored is not None
    assert str(stored.reference).startswith("Organization/")


def test_search_pages_through_next_links(fhir: FhirClient) -> None:
    family = unique("Chen")
    for _ in range(5):
        fhir.create(Patient.model_validate({"resourceType": "Patient",
                                            "name": [{"family": family}]}))
    pages = list(fhir.search("Patient", {"family": family, "_count": "2"}))
    assert len(pages) == 3
    assert sum(len(p.entry or []) for p in pages) == 5


def test_include_returns_the_referenced_resource(fhir: FhirClient) -> None:
    org = fhir.create(Organization.model_validate({"resourceType": "Organization",
                                                   "name": "Capitol Pediatrics"}))
    assert org.resource is not None
    pid = unique("rivera-mateo")
    fhir.update(patient(pid, managingOrganization={"reference": f"Organization/{org.resource.id}"}))
    found = fhir.search_all("Patient", {"_id": pid, "_include": "Patient:organization"})
    assert sorted(r.get_resource_type() for r in found) == ["Organization", "Patient"]


def test_validate_accepts_good_and_reports_bad(fhir: FhirClient) -> None:
    good = fhir.validate(patient("valid-one"))
    assert not [i for i in good.issue if i.severity in ("error", "fatal")]
    bad = fhir.validate({"resourceType": "Patient", "gender": "bogus"})
    errors = [i for i in bad.issue if i.severity in ("error", "fatal")]
    assert errors
    assert any("bogus" in (i.diagnostics or "") for i in errors)
