"""The behavioral health provider's answer (the form's feedback part) closes the loop: it
moves the referral's Task (BSeR, https://hl7.org/fhir/us/bser/) to accepted, rejected or
completed, and completes the ServiceRequest when the Task completes.

The caller reads the current Task and ServiceRequest from the server; when they carry
`meta.versionId`, the updates are conditional on it (If-Match), so feedback never overwrites a
change it has not seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mappings.datatypes import compact, person
from mappings.green_form import clinical
from mappings.green_form.entries import labelled_like
from mappings.green_form.extract import WITHDRAWN, stored_response
from mappings.green_form.form import Feedback
from mappings.green_form.form import feedback as read_feedback
from mappings.green_form.provenance import provenance, relative
from mappings.green_form.referral import task_id
from mappings.green_form.stamp import ref_to, table
from mappings.sdc.validator import DRAFTS
from vocabulary.errors import UnmappableRecord, ValidationFailed
from vocabulary.fhir import JSON
from vocabulary.transaction import put, transaction

FINAL = frozenset({"rejected", "completed", "cancelled", "failed", "entered-in-error"})
SERVER_META = ("versionId", "lastUpdated")


def apply_feedback(feedback: Mapping[str, Any], task: Mapping[str, Any],
                   referral: Mapping[str, Any]) -> JSON:
    """The transaction Bundle for a feedback response about `referral` (a ServiceRequest),
    read here; the gateway passes the feedback it read and checked to `applied`."""
    return applied(read_feedback(feedback), task, referral)


def applied(answer: Feedback, task: Mapping[str, Any], referral: Mapping[str, Any]) -> JSON:
    """The transaction Bundle for feedback about `referral`, given its Task as stored."""
    _check(answer, task, referral)
    sub = answer.submission
    response = stored_response(sub, referral.get("subject"), basedOn=[_ref(referral)])
    if sub.status in DRAFTS | {WITHDRAWN}:
        return transaction([_entry(response, referral, {})])
    who = clinical.Subject(sub.stamp, referral.get("subject", {}), person(answer.clinician_name),
                           sub.authored)
    conditions = clinical.diagnoses(who, answer.diagnoses)
    updated = [_task(task, answer, ref_to(response), conditions)]
    if answer.outcome == "completed":
        updated.append(_current(referral, status="completed"))
    record = provenance(sub.stamp, [_ref(r) for r in [*updated, *conditions]], ref_to(response),
                        person(answer.clinician_name), task.get("owner"), sub.authored,
                        sub.status)
    written = [response, *conditions, *updated, record]
    versions = {_ref(r)["reference"]: r.get("meta", {}).get("versionId") for r in (task, referral)}
    return transaction([_entry(r, referral, versions) for r in written])


def _check(answer: Feedback, task: Mapping[str, Any], referral: Mapping[str, Any]) -> None:
    expected = f"ServiceRequest/{referral.get('id')}"
    if relative(answer.referral) != expected:
        raise UnmappableRecord(f"The feedback answers {answer.referral!r}, not {expected}",
                               expression=answer.referral_expression)
    focus = relative(str(task.get("focus", {}).get("reference", "")))
    if focus != expected or task.get("id") != task_id(str(referral.get("id"))):
        raise ValidationFailed(f"Task/{task.get('id')} is not the Task of {expected}")
    status = task.get("status")
    if status in FINAL and status != answer.outcome:
        raise UnmappableRecord(f"The referral is already {status}; feedback cannot make it "
                               f"{answer.outcome}", expression=answer.outcome_expression)


def _ref(resource: Mapping[str, Any]) -> JSON:
    return {"reference": f"{resource['resourceType']}/{resource['id']}"}


def _current(resource: Mapping[str, Any], **changes: Any) -> JSON:
    """A stored resource with `changes`, without the server's own meta."""
    meta = {k: v for k, v in resource.get("meta", {}).items() if k not in SERVER_META}
    return {**resource, "meta": meta, **changes}


def _task(task: Mapping[str, Any], answer: Feedback, response: JSON,
          conditions: list[JSON]) -> JSON:
    authored, outcome = answer.submission.authored, answer.outcome
    period = dict(task.get("executionPeriod", {}))
    period.setdefault("start", authored)
    if outcome == "completed":
        period["end"] = authored
    updated = {k: v for k, v in _current(task).items() if k != "statusReason"}
    return {**updated, "status": outcome, **compact(statusReason=_reason(answer)),
            "businessStatus": {"text": _business_status(answer)}, "lastModified": authored,
            "executionPeriod": period, "output": _outputs(task, response, conditions)}


def _reason(answer: Feedback) -> JSON | None:
    return {"text": answer.decline_reason} if answer.outcome == "rejected" else None


def _business_status(answer: Feedback) -> str:
    text = str(table("business_status")[answer.outcome])
    if answer.outcome == "accepted" and answer.first_appointment:
        return f"{text}; first appointment {answer.first_appointment}"
    if answer.outcome == "completed" and answer.seen_on:
        return f"{text} on {answer.seen_on}"
    return text


def _outputs(task: Mapping[str, Any], response: JSON, conditions: list[JSON]) -> list[JSON]:
    """Earlier feedback stays; this feedback's response and diagnoses are added."""
    new = [{"type": {"text": "Green Form feedback"}, "valueReference": response},
           *({"type": {"text": "Diagnosis"}, "valueReference": ref_to(c)} for c in conditions)]
    fresh = {o["valueReference"]["reference"] for o in new}
    kept = [o for o in task.get("output", ())
            if o.get("valueReference", {}).get("reference") not in fresh]
    return [*kept, *new]


def _entry(resource: JSON, referral: Mapping[str, Any],
           versions: Mapping[str, str | None]) -> JSON:
    """A PUT labelled in the referral's context (a minor's self-consented referral keeps its
    feedback restricted); updates match the version the caller read."""
    version = versions.get(_ref(resource)["reference"])
    return put(labelled_like(resource, referral), if_match=version)
