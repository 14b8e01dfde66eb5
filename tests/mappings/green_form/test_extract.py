"""extract(): what a referral becomes, by the form's status and answers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from consent.codes import ORGANIZATIONS, organization_reference
from gateway.devtools.green_form_golden import Case
from mappings.green_form import extract, task_id
from tests.mappings.green_form.helpers import (
    REFERRALS,
    answer,
    case_id,
    form,
    item,
    labels,
    one,
    resources,
    without,
)
from vocabulary.errors import UnmappableRecord, ValidationFailed
from vocabulary.fhir import JSON

HUSKY = "http://oneplan.example.org/fhir/sid/husky-member-id"
NPI = "http://hl7.org/fhir/sid/us-npi"
BY_NPI = {"Organization", "Practitioner"}
SHARED = {"Patient", *BY_NPI}
CAST = {organization_reference(key) for key in ORGANIZATIONS}


def string(value: str) -> JSON:
    return {"valueString": value}


@pytest.mark.parametrize("case", REFERRALS, ids=case_id)
def test_every_resource_and_the_bundle_are_r4(case: Case) -> None:
    bundle = extract(case.raw())
    Bundle.model_validate(bundle)
    for resource in resources(bundle):
        model = get_fhir_model_class(resource["resourceType"])
        assert model.model_validate(resource).model_dump(mode="json") == resource


@pytest.mark.parametrize("case", REFERRALS, ids=case_id)
def test_extraction_is_deterministic(case: Case) -> None:
    assert extract(case.raw()) == extract(copy.deepcopy(case.raw()))


def _written(bundle: JSON, by_npi: bool) -> set[str]:
    return {e["request"]["url"] for e in bundle["entry"]
            if (e["resource"]["resourceType"] in BY_NPI) == by_npi}


def test_another_form_number_gives_other_ids_but_the_same_npi_resources() -> None:
    first = extract(form("mateo-rivera-anxiety"))
    other = form("mateo-rivera-anxiety")
    other["identifier"]["value"] = "GF-2026-0099"
    second = extract(other)
    assert _written(first, by_npi=True) == _written(second, by_npi=True) != set()
    assert _written(first, by_npi=False).isdisjoint(_written(second, by_npi=False))


@pytest.mark.parametrize("case", REFERRALS, ids=case_id)
def test_every_entry_is_a_put_at_its_deterministic_id(case: Case) -> None:
    for entry in extract(case.raw())["entry"]:
        resource, request = entry["resource"], entry["request"]
        assert request == {"method": "PUT",
                           "url": f"{resource['resourceType']}/{resource['id']}"}
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"


@pytest.mark.parametrize("case", REFERRALS, ids=case_id)
def test_references_stay_inside_the_bundle(case: Case) -> None:
    bundle = extract(case.raw())
    inside = {e["request"]["url"] for e in bundle["entry"]} | CAST
    found = {ref for r in resources(bundle) for ref in references(r)}
    assert found - inside == set()


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return own + [r for v in node.values() for r in references(v)]
    if isinstance(node, list):
        return [r for v in node for r in references(v)]
    return []


@pytest.mark.parametrize("case", REFERRALS, ids=case_id)
def test_every_resource_is_stamped_and_labelled(case: Case) -> None:
    response = case.raw()
    for resource in resources(extract(response)):
        assert resource["meta"]["source"] == "http://oneplan.example.org/fhir/program/green-form"
        assert labels(resource)[0] in ("N", "R")
        if resource["resourceType"] not in SHARED | {"Provenance"}:
            identifier = resource["identifier"]  # a list, but one on a QuestionnaireResponse
            first = identifier[0] if isinstance(identifier, list) else identifier
            assert first["value"].startswith(response["identifier"]["value"])


def test_the_childs_first_identifier_is_the_husky_id() -> None:
    patient = one(extract(form("mateo-rivera-anxiety")), "Patient")
    assert patient["identifier"][0]["system"] == HUSKY
    assert [i["value"] for i in patient["identifier"]] == ["014523876", "CP-0045121"]


def test_without_a_husky_id_the_child_is_identified_by_the_practice_mrn() -> None:
    patient = one(extract(form("lily-chen-adhd-follow-up")), "Patient")
    mrn = "http://oneplan.example.org/fhir/sid/mrn-capitol-peds"
    assert patient["identifier"][0] | {"type": None, "assigner": None} == {
        "system": mrn, "value": "CP-0038842", "type": None, "assigner": None}


def test_an_mrn_alone_from_a_practice_without_an_mrn_system_is_unmappable() -> None:
    unknown = answer(form("lily-chen-adhd-follow-up"), "pcp.practice-npi", string("1234567893"))
    with pytest.raises(UnmappableRecord) as caught:
        extract(unknown)
    assert [i.expression for i in caught.value.issues] == [
        "QuestionnaireResponse.item.where(linkId='child').item.where(linkId='child.mrn')"]


def test_an_mrn_of_an_unknown_practice_is_dropped_when_the_husky_id_identifies_the_child() -> None:
    response = answer(form("mateo-rivera-anxiety"), "pcp.practice-npi", string("1234567893"))
    patient = one(extract(response), "Patient")
    assert [i["system"] for i in patient["identifier"]] == [HUSKY]


def test_a_form_without_identifier_cannot_be_extracted() -> None:
    response = form("grace-okafor-depression")
    del response["identifier"]
    with pytest.raises(ValidationFailed) as caught:
        extract(response)
    assert caught.value.issues[0].expression == "QuestionnaireResponse.identifier"


def test_the_task_id_follows_from_the_service_request_id_alone() -> None:
    bundle = extract(form("mateo-rivera-anxiety"))
    referral, task = one(bundle, "ServiceRequest"), one(bundle, "Task")
    assert task["id"] == task_id(referral["id"])
    assert task["focus"] == {"reference": f"ServiceRequest/{referral['id']}"}
    assert (task["status"], task["intent"], task["owner"]) == (
        "requested", "order", referral["performer"][0])


def test_the_referral_carries_the_form_content() -> None:
    bundle = extract(form("daniel-okafor-substance-use"))
    referral = one(bundle, "ServiceRequest")
    conditions = {f"Condition/{c['id']}": c["code"]["coding"][0]["code"]
                  for c in resources(bundle, "Condition")}
    assert (referral["priority"], referral["code"]["coding"][0]["code"]) == ("urgent", "401266006")
    assert [conditions[r["reference"]] for r in referral["reasonReference"]] == [
        "F10.129", "F12.10"]
    assert "Seen in an emergency department for this concern on 2026-02-21." in [
        n["text"] for n in referral["note"]]
    observation = one(bundle, "Observation")
    assert (observation["valueInteger"], observation["interpretation"][0]["coding"][0]["code"],
            observation["effectiveDateTime"]) == (5, "POS", "2026-02-24")


def test_no_known_allergies_become_one_snomed_no_known_allergy() -> None:
    allergy = one(extract(form("mateo-rivera-anxiety")), "AllergyIntolerance")
    assert allergy["code"]["coding"][0]["code"] == "716186003"


def test_listed_allergies_and_medications_become_one_resource_each() -> None:
    bundle = extract(form("lily-chen-adhd-follow-up"))
    allergy = one(bundle, "AllergyIntolerance")
    assert (allergy["code"], allergy["reaction"][0]["manifestation"]) == (
        {"text": "Penicillin"}, [{"text": "Hives"}])
    assert [(m["medicationCodeableConcept"]["text"], m["dosage"][0]["text"])
            for m in resources(bundle, "MedicationStatement")] == [
        ("Methylphenidate extended-release", "10 mg by mouth every morning"),
        ("Levetiracetam", "250 mg by mouth twice daily")]


def test_a_medication_listed_twice_still_gets_two_resources() -> None:
    response = form("lily-chen-adhd-follow-up")
    lines = item(response, "referral")["item"]
    lines.append(copy.deepcopy(item(response, "medication")))
    ids = [m["id"] for m in resources(extract(response), "MedicationStatement")]
    assert len(set(ids)) == len(ids) == 3


def test_a_named_clinician_without_npi_is_no_practitioner() -> None:
    response = without(form("grace-okafor-depression"), "bh.clinician-npi")
    bundle = extract(response)
    practitioners = [p["identifier"][0]["value"] for p in resources(bundle, "Practitioner")]
    assert practitioners == ["1376540294"]
    assert len(one(bundle, "ServiceRequest")["performer"]) == 1


def test_a_minor_consent_restricts_all_the_form_wrote_but_not_shared_resources() -> None:
    bundle = extract(form("grace-okafor-depression"))
    for resource in resources(bundle):
        restricted = labels(resource)[0] == "R" and "ADOL" in labels(resource)
        assert restricted is not (resource["resourceType"] in SHARED), resource["resourceType"]


def test_a_parent_signed_release_labels_by_content() -> None:
    bundle = extract(form("daniel-okafor-substance-use"))
    assert {"ETH", "SUD", "ADOL"} <= set(labels(one(bundle, "ServiceRequest")))
    mateo = extract(form("mateo-rivera-anxiety"))
    assert labels(one(mateo, "ServiceRequest")) == ["N", "BH", "MH", "parent-consented"]
    assert "PSY" in labels(resources(mateo, "Condition")[0])


def test_a_guardian_who_signs_is_the_consent_performer() -> None:
    bundle = extract(form("mateo-rivera-anxiety"))
    guardian = one(bundle, "RelatedPerson")
    assert one(bundle, "Consent")["performer"] == [
        {"reference": f"RelatedPerson/{guardian['id']}", "display": "Lucia Rivera"}]


def test_another_adult_who_signs_becomes_a_second_related_person() -> None:
    response = answer(form("mateo-rivera-anxiety"), "consent.signer-name",
                      string("Carmen Rivera"))
    response = answer(response, "consent.signer-relationship", {"valueCoding": {
        "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "GRMTH",
        "display": "grandmother"}})
    bundle = extract(response)
    signer = resources(bundle, "RelatedPerson")[1]
    assert (signer["name"], signer["relationship"][0]["coding"][0]["code"]) == (
        [{"text": "Carmen Rivera"}], "GRMTH")
    assert one(bundle, "Consent")["performer"][0]["reference"] == f"RelatedPerson/{signer['id']}"


def test_the_provenance_targets_everything_extracted_from_the_response() -> None:
    bundle = extract(form("sofia-rivera-family-therapy"))
    record = one(bundle, "Provenance")
    response = one(bundle, "QuestionnaireResponse")
    written = [e["fullUrl"] if e["request"]["method"] == "POST" else e["request"]["url"]
               for e in bundle["entry"]
               if e["resource"]["resourceType"] not in ("Provenance", "QuestionnaireResponse")]
    assert [t["reference"] for t in record["target"]] == written
    assert record["entity"] == [{"role": "source", "what": {
        "reference": f"QuestionnaireResponse/{response['id']}"}}]
    assert record["recorded"] == response["authored"]


@pytest.mark.parametrize("status", ["in-progress", "stopped"])
def test_a_draft_stores_only_the_response(status: str) -> None:
    draft = without(form("mateo-rivera-anxiety"), "consent")
    draft["status"] = status
    bundle = extract(draft)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["QuestionnaireResponse"]
    completed = one(extract(form("mateo-rivera-anxiety")), "QuestionnaireResponse")
    assert bundle["entry"][0]["resource"]["id"] == completed["id"]


def test_an_amended_form_updates_the_same_resources() -> None:
    amended = answer(form("mateo-rivera-anxiety"), "referral.reason", string("Worse since May."))
    amended["status"] = "amended"
    before, after = extract(form("mateo-rivera-anxiety")), extract(amended)
    assert [e["fullUrl"] for e in after["entry"]] == [e["fullUrl"] for e in before["entry"]]
    assert one(after, "ServiceRequest")["reasonCode"] == [{"text": "Worse since May."}]
    assert one(after, "Provenance")["activity"]["coding"][0]["code"] == "UPDATE"


def test_an_amended_form_keeps_what_feedback_did_to_the_task() -> None:
    first = extract(form("mateo-rivera-anxiety"))
    accepted = {**one(first, "Task"), "status": "accepted",
                "businessStatus": {"text": "Accepted"}}
    amended = form("mateo-rivera-anxiety")
    amended["status"] = "amended"
    task = one(extract(amended, task=accepted), "Task")
    assert (task["status"], task["businessStatus"]) == ("accepted", {"text": "Accepted"})
    completed = {**accepted, "status": "completed"}
    assert one(extract(amended, task=completed), "ServiceRequest")["status"] == "completed"


def test_a_form_entered_in_error_withdraws_the_referral() -> None:
    withdrawn = form("lily-chen-adhd-follow-up")
    withdrawn["status"] = "entered-in-error"
    bundle = extract(withdrawn)
    statuses = {r["resourceType"]: r.get("status") for r in resources(bundle)}
    assert {k: statuses[k] for k in ("ServiceRequest", "Task", "QuestionnaireResponse",
                                     "Observation", "MedicationStatement", "Consent")} == {
        "ServiceRequest": "revoked", "Task": "cancelled",
        "QuestionnaireResponse": "entered-in-error", "Observation": "entered-in-error",
        "MedicationStatement": "entered-in-error", "Consent": "entered-in-error"}
    for resource in resources(bundle, "Condition") + resources(bundle, "AllergyIntolerance"):
        assert "clinicalStatus" not in resource
        assert resource["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
    assert one(bundle, "Provenance")["activity"]["coding"][0]["code"] == "NULLIFY"


def test_a_draft_of_a_minors_own_referral_is_already_restricted() -> None:
    draft = without(form("grace-okafor-depression"), "consent.statute")
    draft["status"] = "in-progress"
    assert {"R", "ADOL"} <= set(labels(one(extract(draft), "QuestionnaireResponse")))
    parent_signed = form("mateo-rivera-anxiety")
    parent_signed["status"] = "in-progress"
    assert "ADOL" not in labels(one(extract(parent_signed), "QuestionnaireResponse"))
