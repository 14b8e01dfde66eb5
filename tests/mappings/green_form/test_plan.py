"""The plan of a checked Green Form: what it reads first, and the one transaction it writes
given what those reads found."""

from __future__ import annotations

import json

import pytest

from gateway.devtools.green_form_golden import Server, checked
from mappings.green_form import plan, task_id
from mappings.green_form.form import Feedback, Referral, parse
from mappings.ids import resource_id
from tests.mappings.green_form.helpers import answer, form, resources, without
from vocabulary.errors import ValidationFailed


def test_a_referral_reads_its_task_and_its_earlier_provenance() -> None:
    referral = checked(form("mateo-rivera-anxiety"))
    assert isinstance(referral, Referral)
    stamp = referral.submission.stamp
    assert plan.reads(referral) == (f"Task/{task_id(stamp.id('ServiceRequest'))}",
                                    f"Provenance/{stamp.id('Provenance')}")


def test_feedback_reads_the_referral_it_answers_and_that_referrals_task() -> None:
    feedback = checked(form("mateo-rivera-anxiety-accepted"))
    assert isinstance(feedback, Feedback)
    service_request = feedback.referral
    assert plan.reads(feedback) == (service_request,
                                    f"Task/{task_id(service_request.split('/')[1])}")


def test_feedback_about_no_service_request_reads_nothing_and_is_located() -> None:
    feedback = parse(answer(form("mateo-rivera-anxiety-accepted"), "feedback.referral",
                            {"valueReference": {"reference": "Patient/rivera-mateo"}}))
    assert plan.reads(feedback) == ()
    with pytest.raises(ValidationFailed) as raised:
        plan.bundle(feedback, {})
    assert "feedback.referral" in str(raised.value.issues[0].expression)


def test_an_amended_referral_deletes_what_the_stored_provenance_names_and_it_dropped() -> None:
    server = Server.loaded()
    first = server.submit(checked(form("lily-chen-adhd-follow-up")))
    assert first.created
    amended = {**without(form("lily-chen-adhd-follow-up"), "medication"), "status": "amended"}
    sent = server.planned(checked(amended))
    deleted = [e["request"]["url"] for e in sent["entry"] if e["request"]["method"] == "DELETE"]
    assert deleted
    assert all(url.startswith("MedicationStatement/") for url in deleted)
    again = server.submit(checked(amended))
    assert not again.created
    assert again.response["meta"]["versionId"] == "2"
    assert again.related == first.related


PCP_NPI = "1376540294"  # Dr. Ana Whitfield, the Rivera and Okafor children's PCP
REFERRALS = ("daniel-okafor-substance-use", "grace-okafor-depression",
             "lily-chen-adhd-follow-up", "mateo-rivera-anxiety", "mateo-rivera-ed-panic",
             "sofia-rivera-family-therapy")


def _practitioners(name: str) -> set[str]:
    sent = plan.bundle(checked(form(name)), {})
    return {r["id"] for r in resources(sent, "Practitioner")
            if r["identifier"][0]["value"] == PCP_NPI}


def test_two_childrens_forms_naming_the_same_pcp_write_the_same_practitioner() -> None:
    mateo, grace = _practitioners("mateo-rivera-anxiety"), _practitioners("grace-okafor-depression")
    assert len(mateo) == 1
    assert mateo == grace == {resource_id("npi", PCP_NPI, "Practitioner")}


@pytest.mark.parametrize("name", REFERRALS)
def test_a_referrals_transaction_holds_no_conditional_create(name: str) -> None:
    sent = plan.bundle(checked(form(name)), {})
    assert {e["request"]["method"] for e in sent["entry"]} == {"PUT"}
    assert not any("ifNoneExist" in e["request"] for e in sent["entry"])
    assert "urn:uuid" not in json.dumps([e["resource"] for e in sent["entry"]])


def test_a_cast_practice_is_referred_to_and_not_written() -> None:
    sent = plan.bundle(checked(form("mateo-rivera-anxiety")), {})
    assert resources(sent, "Organization") == []
    [patient] = resources(sent, "Patient")
    assert patient["generalPractitioner"][0]["reference"] == "Organization/capitol-peds"


def test_the_child_is_the_forms_own_patient_and_every_reference_points_at_it() -> None:
    referral = checked(form("mateo-rivera-anxiety"))
    assert isinstance(referral, Referral)
    sent = plan.bundle(referral, {})
    [patient] = resources(sent, "Patient")
    assert patient == plan.child(referral)[0] | {"meta": patient["meta"]}
    assert patient["id"] == referral.submission.stamp.id("Patient")
    subjects = {r["subject"]["reference"] for e in sent["entry"]
                if "subject" in (r := e["resource"])}
    assert subjects == {f"Patient/{patient['id']}"}


def test_a_practice_outside_the_cast_is_written_at_an_id_of_its_npi_alone() -> None:
    npi = "1234567893"
    changed = answer(form("mateo-rivera-anxiety"), "pcp.practice-npi", {"valueString": npi})
    [practice] = resources(plan.bundle(checked(changed), {}), "Organization")
    assert practice["id"] == resource_id("npi", npi, "Organization")
    assert practice["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi", "value": npi}]
    [patient] = resources(plan.bundle(checked(changed), {}), "Patient")
    assert patient["generalPractitioner"][0]["reference"] == f"Organization/{practice['id']}"
