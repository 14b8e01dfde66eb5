"""The referral itself, BSeR style (https://hl7.org/fhir/us/bser/): a ServiceRequest for the
behavioral health service, and the Task that carries its state between the referring PCP
(requester) and the behavioral health agency (owner)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mappings.green_form.form import Referral
from mappings.green_form.parties import Parties
from mappings.green_form.stamp import PROGRAM, concept, ref_to
from mappings.ids import resource_id
from vocabulary.fhir import JSON

# What feedback has done to a Task; an amended referral must not undo it.
PROGRESS = ("status", "statusReason", "businessStatus", "executionPeriod", "output")
OPEN = frozenset({"draft", "requested", "received"})


def task_id(service_request_id: str) -> str:
    """The referral Task's id, from its ServiceRequest's id alone (all feedback knows)."""
    return resource_id(PROGRAM, f"ServiceRequest/{service_request_id}", "Task")


def service_request(form: Referral, parties: Parties, reasons: Iterable[JSON],
                    supporting: Iterable[JSON]) -> JSON:
    """https://hl7.org/fhir/R4/servicerequest.html"""
    request, sub = form.request, form.submission
    return sub.stamp.resource(
        "ServiceRequest", status="active", intent="order", category=[concept("counseling")],
        priority=request.urgency,
        code={"coding": [request.service], "text": request.service.get("display")},
        subject=parties.patient.ref, authoredOn=sub.authored, requester=parties.pcp.ref,
        performer=parties.performers, reasonCode=[{"text": request.reason}],
        reasonReference=[ref_to(r) for r in reasons],
        supportingInfo=[ref_to(r) for r in supporting], note=notes(form),
    )


def notes(form: Referral) -> list[JSON]:
    request, child = form.request, form.child
    lines = [f"What the family wants from this referral: {request.family_goals}"]
    if request.history:
        lines.append(f"Relevant medical history: {request.history}")
    if request.ed_visit_date:
        lines.append("Seen in an emergency department for this concern on "
                     f"{request.ed_visit_date}.")
    if child.interpreter_needed:
        lines.append(f"The family needs an interpreter ({child.language.get('display')}).")
    return [{"text": line} for line in lines]


def task(form: Referral, parties: Parties, referral: JSON) -> JSON:
    """The Task that asks the agency to fulfil the referral: https://hl7.org/fhir/R4/task.html"""
    sub = form.submission
    body = sub.stamp.resource(
        "Task", status="requested", intent="order", priority=form.request.urgency,
        code=concept("fulfill"), focus=ref_to(referral), authoredOn=sub.authored,
        lastModified=sub.authored, requester=parties.pcp.ref, owner=parties.bh_org.ref,
    )
    return {**body, "id": task_id(referral["id"]), "for": parties.patient.ref}


def keep_progress(new: JSON, current: Mapping[str, Any] | None) -> JSON:
    """`new` with what feedback already did to the stored Task (`current`), if anything."""
    if current is None or current.get("status") in OPEN:
        return new
    kept = {key: current[key] for key in PROGRESS if key in current}
    merged = {k: kept.get(k, v) for k, v in new.items() if k not in PROGRESS or k in kept}
    return {**merged, **kept}
