"""A Green Form response read into plain typed values, by the linkIds of the Questionnaire
(profiles/, `Questionnaire/green-form`). The response is assumed valid against it; only what the
extraction cannot do without is checked here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mappings.green_form.answers import Items
from mappings.green_form.stamp import Stamp
from mappings.sdc.paths import ROOT
from mappings.sdc.validator import DRAFTS
from vocabulary.errors import ValidationFailed
from vocabulary.fhir import JSON

# Statuses of a response that is not (yet, or any more) a finished form (SDC; R4's `stopped`
# is an abandoned draft).


@dataclass(frozen=True)
class Submission:
    """The response itself: its identifier (the form number), status and date."""

    response: Mapping[str, Any]
    stamp: Stamp
    status: str
    authored: str

    @property
    def items(self) -> Items:
        return Items.of(self.response)


@dataclass(frozen=True)
class Child:
    given: str
    family: str
    birth_date: str
    sex: str
    husky_id: str | None
    mrn: str | None
    mrn_expression: str
    birth_date_expression: str
    language: JSON
    interpreter_needed: bool


@dataclass(frozen=True)
class Guardian:
    name: str
    relationship: JSON
    phone: str
    email: str | None


@dataclass(frozen=True)
class Pcp:
    name: str
    npi: str
    practice: str
    practice_npi: str
    phone: str
    fax: str | None
    direct: str | None


@dataclass(frozen=True)
class Bh:
    agency: str
    agency_npi: str
    clinician: str | None
    clinician_npi: str | None
    phone: str


@dataclass(frozen=True)
class Screening:
    instrument: JSON
    score: int
    date: str
    positive: bool


@dataclass(frozen=True)
class Medication:
    name: str
    dose: str | None


@dataclass(frozen=True)
class Allergy:
    substance: str
    reaction: str | None


@dataclass(frozen=True)
class Request:
    service: JSON
    reason: str
    urgency: str
    ed_visit_date: str | None
    screenings: tuple[Screening, ...]
    diagnoses: tuple[JSON, ...]
    medications: tuple[Medication, ...]
    allergies_known: bool
    allergies: tuple[Allergy, ...]
    history: str | None
    sdoh: tuple[JSON, ...]
    family_goals: str


@dataclass(frozen=True)
class Release:
    minor_self: bool
    statute: str | None
    signer_name: str
    signer_name_expression: str
    signer_relationship: JSON | None
    recipients: tuple[str, ...]
    includes: Mapping[str, bool]  # consent.includes-* linkId -> answer
    signed_on: str
    expires: str


@dataclass(frozen=True)
class Referral:
    submission: Submission
    child: Child
    guardian: Guardian
    pcp: Pcp
    bh: Bh
    request: Request
    release: Release


def submission(response: Mapping[str, Any]) -> Submission:
    identifier = response.get("identifier") or {}
    if not identifier.get("system") or not identifier.get("value"):
        raise ValidationFailed("A Green Form needs an identifier (system and value): its form "
                               "number", expression=f"{ROOT}.identifier")
    if not response.get("authored"):
        raise ValidationFailed("A Green Form needs the date it was authored",
                               expression=f"{ROOT}.authored")
    return Submission(response, Stamp(identifier["system"], identifier["value"]),
                      str(response.get("status")), str(response["authored"]))


def referral(response: Mapping[str, Any]) -> Referral:
    return referral_of(submission(response))


def referral_of(sub: Submission) -> Referral:
    child = sub.items.group("child")
    read = Referral(sub, _child(child), _guardian(child.group("guardian")),
                    _pcp(sub.items.group("pcp")), _bh(sub.items.group("bh")),
                    _request(sub.items.group("referral")), _release(sub.items.group("consent")))
    _check_minor_signed(read)
    return read


def _child(items: Items) -> Child:
    return Child(
        given=items.required_text("child.given-name"),
        family=items.required_text("child.family-name"),
        birth_date=items.required_text("child.birth-date"),
        sex=items.coding("child.sex")["code"],
        husky_id=items.text("child.husky-id"),
        mrn=items.text("child.mrn"),
        mrn_expression=items.where("child.mrn"),
        birth_date_expression=items.where("child.birth-date"),
        language=items.coding("child.language"),
        interpreter_needed=items.flag("child.interpreter-needed"),
    )


def _guardian(items: Items) -> Guardian:
    return Guardian(items.required_text("guardian.name"), items.coding("guardian.relationship"),
                    items.required_text("guardian.phone"), items.text("guardian.email"))


def _pcp(items: Items) -> Pcp:
    return Pcp(items.required_text("pcp.name"), items.required_text("pcp.npi"),
               items.required_text("pcp.practice"), items.required_text("pcp.practice-npi"),
               items.required_text("pcp.phone"), items.text("pcp.fax"), items.text("pcp.direct"))


def _bh(items: Items) -> Bh:
    return Bh(items.required_text("bh.agency"), items.required_text("bh.agency-npi"),
              items.text("bh.clinician"), items.text("bh.clinician-npi"),
              items.required_text("bh.phone"))


def _request(items: Items) -> Request:
    ed_visit = items.flag("referral.ed-visit")
    return Request(
        service=items.coding("referral.service"),
        reason=items.required_text("referral.reason"),
        urgency=items.coding("referral.urgency")["code"],
        ed_visit_date=items.text("referral.ed-visit-date") if ed_visit else None,
        screenings=tuple(_screening(g) for g in items.groups("screening")),
        diagnoses=tuple(items.codings("diagnosis")),
        medications=tuple(Medication(g.required_text("medication.name"),
                                     g.text("medication.dose"))
                          for g in items.groups("medication")),
        allergies_known=items.flag("allergies-known"),
        allergies=tuple(Allergy(g.required_text("allergy.substance"), g.text("allergy.reaction"))
                        for g in items.groups("allergy")),
        history=items.text("history"),
        sdoh=tuple(items.codings("sdoh")),
        family_goals=items.required_text("family-goals"),
    )


def _screening(items: Items) -> Screening:
    return Screening(items.coding("screening.instrument"), int(items.value("screening.score")),
                     items.required_text("screening.date"), items.flag("screening.positive"))


INCLUDES = ("consent.includes-sud", "consent.includes-psychotherapy-notes")


def _release(items: Items) -> Release:
    minor_self = items.flag("consent.minor-self")
    statute = items.value("consent.statute")
    relationship = items.value("consent.signer-relationship")
    return Release(
        minor_self=minor_self,
        statute=statute["code"] if minor_self and statute else None,
        signer_name=items.required_text("consent.signer-name"),
        signer_name_expression=items.where("consent.signer-name"),
        signer_relationship=dict(relationship) if relationship else None,
        recipients=tuple(c["code"] for c in items.codings("consent.recipient")),
        includes={link_id: items.flag(link_id) for link_id in INCLUDES},
        signed_on=items.required_text("consent.signed-on"),
        expires=items.required_text("consent.expires"),
    )


def _check_minor_signed(form: Referral) -> None:
    """Under a minor's own consent (CGS 19a-14c, 17a-688) only the minor's signature counts."""
    release, child = form.release, form.child
    if not release.minor_self:
        return
    signer, name = _name(release.signer_name), _name(f"{child.given} {child.family}")
    if signer != name or release.signer_relationship is not None:
        raise ValidationFailed(
            "The release says the child consented to their own care, so only the child "
            f"({child.given} {child.family}) may sign it, not {release.signer_name!r}",
            expression=release.signer_name_expression)


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Feedback:
    submission: Submission
    referral: str
    referral_expression: str
    outcome: str
    outcome_expression: str
    decline_reason: str | None
    first_appointment: str | None
    seen_on: str | None
    diagnoses: tuple[JSON, ...]
    clinician_name: str


def feedback(response: Mapping[str, Any]) -> Feedback:
    return feedback_of(submission(response))


def feedback_of(sub: Submission) -> Feedback:
    items = sub.items.group("feedback")
    return Feedback(
        submission=sub,
        referral=str((items.value("feedback.referral") or {}).get("reference", "")),
        referral_expression=items.where("feedback.referral"),
        outcome=items.coding("feedback.outcome")["code"],
        outcome_expression=items.where("feedback.outcome"),
        decline_reason=items.text("feedback.decline-reason"),
        first_appointment=items.text("feedback.first-appointment"),
        seen_on=items.text("feedback.seen-on"),
        diagnoses=tuple(items.codings("feedback.diagnosis")),
        clinician_name=items.required_text("feedback.clinician-name"),
    )


Form = Submission | Referral | Feedback
"""A Green Form as read: a draft referral (only its `Submission`), a referral, or feedback."""


def parse(response: Mapping[str, Any]) -> Form:
    """The response read once, as what it is: feedback, a draft referral or a referral."""
    sub = submission(response)
    part = sub.items.value("part") or {}
    if part.get("code") == "feedback":
        return feedback_of(sub)
    return sub if sub.status in DRAFTS else referral_of(sub)
