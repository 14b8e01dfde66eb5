"""The plan of a checked Green Form: what it reads first, and the one transaction it writes
given what those reads found."""

from __future__ import annotations

import pytest

from gateway.devtools.green_form_golden import Server, checked
from mappings.green_form import plan, task_id
from mappings.green_form.form import Feedback, Referral, parse
from tests.mappings.green_form.helpers import answer, form, resources, without
from vocabulary.errors import AmbiguousMatch, ValidationFailed


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


def test_an_ambiguous_practice_npi_is_named_at_its_item() -> None:
    referral = checked(form("mateo-rivera-anxiety"))
    practice = resources(plan.bundle(referral, {}), "Organization")[0]
    npi = practice["identifier"][0]
    criteria = f"identifier={npi['system']}|{npi['value']}"
    error = AmbiguousMatch("412", upstream_status=412, outcome={"issue": [{"diagnostics": (
        f'HAPI-0958: Failed to CREATE resource with match URL "{criteria}" because this '
        "search matched 2 resources")}]})
    named = plan.ambiguous(referral, error)
    [issue] = named.issues
    assert issue.expression == ("QuestionnaireResponse.item.where(linkId='pcp')"
                                ".item.where(linkId='pcp.practice-npi')")
    assert named.message.startswith(f"The NPI {npi['value']!r} of ")
    assert "several Organization resources" in named.message
