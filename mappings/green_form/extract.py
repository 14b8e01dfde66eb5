"""Green Form extraction: a referral QuestionnaireResponse -> one transaction Bundle.

By the response's status (SDC, https://hl7.org/fhir/uv/sdc/extraction.html):
- in-progress (or stopped, R4's abandoned draft): only the response itself is stored.
- completed, amended: everything is extracted. The ids depend only on the form's identifier,
  so an amended form updates what the completed one wrote (`stale_entries` removes the rest).
- entered-in-error: the referral is withdrawn (see `withdrawal`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consent.labels import MinorConsent
from mappings.datatypes import compact
from mappings.green_form import clinical, parties, referral, release
from mappings.green_form.entries import labelled
from mappings.green_form.form import Referral, Submission, referral_of, submission
from mappings.green_form.provenance import provenance
from mappings.green_form.stamp import SOURCE, ref_to
from mappings.green_form.withdrawal import withdrawn
from mappings.sdc.paths import ROOT
from mappings.sdc.validator import DRAFTS
from vocabulary.fhir import JSON
from vocabulary.transaction import put, transaction

WITHDRAWN = "entered-in-error"


def extract(response: Mapping[str, Any], *,
            task: Mapping[str, Any] | None = None) -> JSON:
    """The transaction Bundle for a valid Green Form referral response, read here; the gateway
    reads (and checks) a response once and passes the form to `extracted`."""
    sub = submission(response)
    return extracted(sub if sub.status in DRAFTS else referral_of(sub), task)


def extracted(form: Submission | Referral, task: Mapping[str, Any] | None = None) -> JSON:
    """The transaction Bundle for a valid referral, or for a draft (only the response).

    `task` is the referral's Task as stored now, if the caller has it: an amended form then
    keeps what the behavioral health provider's feedback already did to it.
    """
    if isinstance(form, Submission):
        minor = release.draft_minor_consent(form.items)
        return transaction([put(labelled(stored_response(form), minor))])
    sub = form.submission
    people = parties.parties(form)
    written = _resources(form, people, task)
    if sub.status == WITHDRAWN:
        written = [withdrawn(r) for r in written]
    minor = release.minor_consent(form.release)
    entries = [put(r) for r in [*people.written(), *written]]
    entries.append(put(_provenance(form, people, entries)))
    return transaction(_labelled(entries, minor, _guardian_signed(form)))


def _labelled(entries: list[JSON], minor: MinorConsent | None, parent: bool) -> list[JSON]:
    return [{**e, "resource": labelled(e["resource"], minor, parent)} for e in entries]


def stored_response(sub: Submission, patient: JSON | None = None,
                    **extra: Any) -> JSON:
    """The response as OnePlan stores it: at its deterministic id, about the extracted child."""
    kept = {k: v for k, v in sub.response.items() if k not in ("resourceType", "id", "meta")}
    return {"resourceType": ROOT, "id": sub.stamp.id(ROOT),
            "meta": {"source": SOURCE}, **kept, **compact(subject=patient, **extra)}


def _resources(form: Referral, people: parties.Parties,
               task: Mapping[str, Any] | None) -> list[JSON]:
    """What the form writes with PUT, each before what refers to it."""
    stamp, request = form.submission.stamp, form.request
    who = clinical.Subject(stamp, people.patient.ref, people.pcp.ref, form.submission.authored)
    response = stored_response(form.submission, people.patient.ref)
    family = [parties.guardian(stamp, form.guardian, people.patient.ref)]
    signer = _signer(form, people, family)
    conditions = clinical.diagnoses(who, request.diagnoses)
    supporting = [*clinical.screenings(who, request.screenings),
                  *clinical.medications(who, request.medications),
                  *clinical.allergies(who, request), *clinical.social_needs(who, request.sdoh)]
    service = referral.service_request(form, people, conditions, [*supporting, response])
    fulfil = referral.keep_progress(referral.task(form, people, service), task)
    if fulfil["status"] == "completed":
        service = {**service, "status": "completed"}
    consents = release.consents(form, people, signer, ref_to(response))
    return [*family, response, *conditions, *supporting, service, fulfil, *consents]


def _signer(form: Referral, people: parties.Parties, family: list[JSON]) -> JSON:
    """Who signed the release: the child under a minor-consent statute, else the guardian, or
    another adult, who then joins `family` as a RelatedPerson."""
    signed, guardian = form.release, form.guardian
    if signed.minor_self:
        return people.patient.ref
    relationship = signed.signer_relationship or guardian.relationship
    if _guardian_signed(form):
        return ref_to(family[0], guardian.name)
    other = parties.related_person(form.submission.stamp, "signer", people.patient.ref,
                                   signed.signer_name, relationship, {})
    family.append(other)
    return ref_to(other, signed.signer_name)


def _guardian_signed(form: Referral) -> bool:
    """The child's guardian, not the child nor another adult, signed the release: the care the
    form refers the child to is then care a parent consented to (cgs-minor-confidential)."""
    signed, guardian = form.release, form.guardian
    relationship = signed.signer_relationship or guardian.relationship
    return not signed.minor_self and (signed.signer_name.casefold(),
                                      relationship.get("code")) == (
        guardian.name.casefold(), guardian.relationship.get("code"))


def _provenance(form: Referral, people: parties.Parties, entries: list[JSON]) -> JSON:
    sub = form.submission
    response = next(e for e in entries
                    if e["resource"]["resourceType"] == "QuestionnaireResponse")
    targets = [ref_to(e["resource"]) for e in entries if e is not response]
    return provenance(sub.stamp, targets, ref_to(response["resource"]), people.pcp.ref,
                      people.pcp_org.ref, sub.authored, sub.status)
