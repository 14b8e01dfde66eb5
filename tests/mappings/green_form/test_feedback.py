"""apply_feedback(): the behavioral health provider's answer moves the referral along."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.devtools.green_form_golden import Server
from mappings.green_form import apply_feedback, extract, task_id
from tests.mappings.green_form.helpers import answer, form, labels, one, resources, stored
from vocabulary.errors import UnmappableRecord, ValidationFailed
from vocabulary.fhir import JSON


def referral_state(name: str = "mateo-rivera-anxiety") -> tuple[Server, JSON, JSON]:
    server, _ = stored(name)
    referral = one(extract(form(name)), "ServiceRequest")
    url = f"ServiceRequest/{referral['id']}"
    return server, server.read(f"Task/{task_id(referral['id'])}"), server.read(url)


def applied(feedback: str, name: str = "mateo-rivera-anxiety") -> JSON:
    _, task, referral = referral_state(name)
    return apply_feedback(form(feedback), task, referral)


def test_accepted_feedback_accepts_the_task_only() -> None:
    bundle = applied("mateo-rivera-anxiety-accepted")
    task = one(bundle, "Task")
    assert task["status"] == "accepted"
    assert task["businessStatus"]["text"].endswith("first appointment 2026-02-24T15:30:00-05:00")
    assert task["lastModified"] == "2026-02-13T09:00:00-05:00"
    assert resources(bundle, "ServiceRequest") == []
    response = one(bundle, "QuestionnaireResponse")
    assert task["output"] == [{"type": {"text": "Green Form feedback"}, "valueReference": {
        "reference": f"QuestionnaireResponse/{response['id']}"}}]


def test_updates_are_conditional_on_the_version_read() -> None:
    bundle = applied("mateo-rivera-anxiety-completed")
    matched = {e["request"]["url"].split("/")[0]: e["request"].get("ifMatch")
               for e in bundle["entry"]}
    assert (matched["Task"], matched["ServiceRequest"], matched["Condition"]) == (
        'W/"1"', 'W/"1"', None)


def test_completed_feedback_completes_the_referral_and_records_diagnoses() -> None:
    bundle = applied("mateo-rivera-anxiety-completed")
    task, referral = one(bundle, "Task"), one(bundle, "ServiceRequest")
    condition = one(bundle, "Condition")
    assert (task["status"], referral["status"]) == ("completed", "completed")
    assert condition["code"]["coding"][0]["code"] == "F93.0"
    child = one(extract(form("mateo-rivera-anxiety")), "Patient")
    assert condition["subject"]["reference"] == f"Patient/{child['id']}"
    assert {"reference": f"Condition/{condition['id']}"} in [
        o["valueReference"] for o in task["output"]]


def test_rejected_feedback_gives_the_reason() -> None:
    bundle = applied("sofia-rivera-family-therapy-declined", "sofia-rivera-family-therapy")
    task = one(bundle, "Task")
    assert task["status"] == "rejected"
    assert task["statusReason"]["text"].startswith("Riverside does not see children under 3.")


def test_the_feedback_response_is_stored_about_the_child_and_the_referral() -> None:
    _, _, referral = referral_state()
    response = one(applied("mateo-rivera-anxiety-accepted"), "QuestionnaireResponse")
    assert response["subject"] == referral["subject"]
    assert response["basedOn"] == [{"reference": f"ServiceRequest/{referral['id']}"}]


def test_feedback_about_a_minors_own_care_keeps_its_restrictions() -> None:
    _, task, referral = referral_state("grace-okafor-depression")
    feedback = answer(form("mateo-rivera-anxiety-accepted"), "feedback.referral",
                      {"valueReference": {"reference": f"ServiceRequest/{referral['id']}"}})
    for resource in resources(apply_feedback(feedback, task, referral)):
        assert {"R", "ADOL"} <= set(labels(resource)), resource["resourceType"]


def test_feedback_for_another_referral_is_refused_at_the_referral_item() -> None:
    _, task, referral = referral_state("lily-chen-adhd-follow-up")
    with pytest.raises(UnmappableRecord) as caught:
        apply_feedback(form("mateo-rivera-anxiety-accepted"), task, referral)
    assert caught.value.issues[0].expression == (
        "QuestionnaireResponse.item.where(linkId='feedback')"
        ".item.where(linkId='feedback.referral')")


def test_the_task_must_be_the_referrals() -> None:
    _, _, referral = referral_state()
    _, other_task, _ = referral_state("lily-chen-adhd-follow-up")
    with pytest.raises(ValidationFailed):
        apply_feedback(form("mateo-rivera-anxiety-accepted"), other_task, referral)


def test_a_closed_referral_cannot_be_reopened() -> None:
    _, task, referral = referral_state()
    done: dict[str, Any] = {**task, "status": "completed"}
    with pytest.raises(UnmappableRecord):
        apply_feedback(form("mateo-rivera-anxiety-accepted"), done, referral)
    again = apply_feedback(form("mateo-rivera-anxiety-completed"), done, referral)
    assert one(again, "Task")["status"] == "completed"


def test_feedback_in_progress_stores_only_its_response() -> None:
    _, task, referral = referral_state()
    draft = form("mateo-rivera-anxiety-completed")
    draft["status"] = "in-progress"
    bundle = apply_feedback(draft, task, referral)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["QuestionnaireResponse"]


def test_later_feedback_keeps_the_earlier_output() -> None:
    server, task, referral = referral_state()
    server.transact(apply_feedback(form("mateo-rivera-anxiety-accepted"), task, referral))
    task = server.read(task["resourceType"] + "/" + task["id"])
    bundle = apply_feedback(form("mateo-rivera-anxiety-completed"), task, referral)
    outputs = [o["type"]["text"] for o in one(bundle, "Task")["output"]]
    assert outputs == ["Green Form feedback", "Green Form feedback", "Diagnosis"]
