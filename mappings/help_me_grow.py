"""Help Me Grow / 211 Child Development Infoline: concern, screening, referrals to community
programs, and follow-up contacts until the family is connected.

Each referral is a ServiceRequest with a Task that tracks the connection (SDOH Clinical Care
pattern: https://hl7.org/fhir/us/sdoh-clinicalcare/referral_workflow.html); every follow-up
contact is a note on that Task.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from mappings import rules
from mappings.datatypes import JSON, agency, annotation, local_concept, organization, person
from mappings.disclosure import consent
from mappings.orders import execution, fulfill, service_request, task
from mappings.origin import Origin
from mappings.people import care_team, guardian, guardian_member, member, patient, staff_member
from mappings.plans import activity, care_plan, health_concern, notes
from mappings.programs import program
from mappings.record import (
    Child,
    Guardian,
    ItemId,
    Name,
    OrgKey,
    ProgramCode,
    ProgramRecord,
    Record,
    Staff,
    Text,
    local_code,
)
from mappings.tables import lookup, table
from vocabulary.errors import Issue

KEY = "help-me-grow"
CODES = table(KEY)
ConcernCategory = Annotated[str, local_code("developmental-concern", "concern")]
ReferralStatus = Annotated[str, local_code("referral-status", "referral status")]


class Concern(Record):
    category: ConcernCategory
    description: Text
    raised_by: Literal["parent", "pcp", "child-care", "home-visitor", "other"]


class DomainScore(Record):
    domain: Literal["communication", "gross-motor", "fine-motor", "problem-solving",
                    "personal-social", "social-emotional"]
    score: float = Field(ge=0, le=300)
    result: Literal["above-cutoff", "monitoring-zone", "below-cutoff"]


class Screening(Record):
    instrument: Literal["ASQ-3", "ASQ:SE-2"]
    questionnaire_months: int = Field(ge=1, le=72)
    completed_on: date
    scores: list[DomainScore] = Field(min_length=1)


class Contact(Record):
    at: AwareDatetime
    method: Literal["phone", "text", "email", "mail", "in-person"]
    outcome: Literal["reached", "left-message", "no-answer", "wrong-number"]
    note: Text | None = None


class Referral(Record):
    id: ItemId
    program_type: ProgramCode
    to: OrgKey | None = None
    to_name: Name | None = None
    referred_on: date
    status: ReferralStatus
    contacts: tuple[Contact, ...] = ()


class ConsentToShare(Record):
    given_on: date
    expires_on: date
    recipients: list[OrgKey] = Field(min_length=1)


class CdiRecord(ProgramRecord):
    """A Help Me Grow / 211 Child Development Infoline case."""

    record_id: Annotated[str, StringConstraints(pattern=r"^CDI-[0-9]{4}-[0-9]{5}$")]
    child: Child
    caller: Guardian
    specialist: Staff
    primary_care: OrgKey | None = None
    call_received: AwareDatetime
    concern: Concern
    screening: Screening | None = None
    referrals: list[Referral] = Field(min_length=1)
    consent_to_share: ConsentToShare | None = None
    closed_on: date | None = None


def check(record: CdiRecord) -> list[Issue]:
    opened = record.call_received.date()
    return [
        *rules.identified(record.child),
        *rules.unique_ids(record.referrals, "referrals"),
        *[i for n, r in enumerate(record.referrals) for i in _referral_rules(r, n, opened)],
        *rules.not_before(record.closed_on, opened, "closed_on", "call_received"),
        *_consent_rules(record.consent_to_share),
    ]


def _referral_rules(referral: Referral, n: int, opened: date) -> list[Issue]:
    path = f"referrals[{n}]"
    issues = rules.not_before(referral.referred_on, opened, f"{path}.referred_on",
                              "call_received")
    if referral.to is None and referral.to_name is None:
        issues.append(Issue("either to or to_name is required", f"{path}.to"))
    return issues + [i for k, c in enumerate(referral.contacts) for i in rules.not_before(
        c.at.date(), referral.referred_on, f"{path}.contacts[{k}].at", "referred_on")]


def _consent_rules(share: ConsentToShare | None) -> list[Issue]:
    if share is None:
        return []
    return rules.not_before(share.expires_on, share.given_on, "consent_to_share.expires_on",
                            "given_on")


def to_fhir(record: CdiRecord) -> list[JSON]:
    origin = Origin(program(KEY), record.record_id)
    requests = [_request(origin, record, r, n) for n, r in enumerate(record.referrals)]
    return [
        patient(origin, record.child),
        guardian(origin, record.caller),
        _concern(origin, record),
        _plan(origin, record),
        *requests,
        *[_tracking(origin, r) for r in record.referrals],
        _team(origin, record),
        *_consent(origin, record),
    ]


def _concern(origin: Origin, record: CdiRecord) -> JSON:
    concern = record.concern
    code = local_concept("developmental-concern", concern.category, text=concern.description)
    return health_concern(origin, "concern", code, record.call_received.date(),
                          note=notes(f"Raised by: {concern.raised_by}"))


def _plan(origin: Origin, record: CdiRecord) -> JSON:
    opened = record.call_received.date()
    return care_plan(
        origin, created=opened, start=opened, end=record.closed_on,
        closed=record.closed_on is not None,
        description=f"Concern: {record.concern.description}",
        contributor=[person(record.specialist.name), origin.ref("RelatedPerson", "guardian")],
        careTeam=[origin.ref("CareTeam")], addresses=[origin.ref("Condition", "concern")],
        activity=[activity(origin.ref("ServiceRequest", r.id)) for r in record.referrals],
        note=notes(_screening(record.screening) if record.screening else None),
    )


def _screening(screening: Screening) -> str:
    scores = "; ".join(f"{s.domain} {s.score:g} ({CODES['screening_result'][s.result]})"
                       for s in screening.scores)
    return (f"{screening.instrument} {screening.questionnaire_months}-month questionnaire, "
            f"completed {screening.completed_on.isoformat()}: {scores}")


def _recipient(referral: Referral) -> JSON | None:
    return agency(referral.to, referral.to_name)


def _request(origin: Origin, record: CdiRecord, referral: Referral, n: int) -> JSON:
    spec = lookup(CODES["program_type"], referral.program_type,
                  f"referrals[{n}].program_type")
    recipient = _recipient(referral)
    return service_request(
        origin, referral.id, spec, status=CODES["referral_status"][referral.status]["request"],
        intent="order", reason=record.concern.description,
        authoredOn=referral.referred_on.isoformat(), requester=organization(origin.custodian),
        performer=[recipient] if recipient else [],
    )


def _tracking(origin: Origin, referral: Referral) -> JSON:
    last = referral.contacts[-1].at if referral.contacts else None
    return task(
        origin, referral.id, code=fulfill(),
        status=CODES["referral_status"][referral.status]["task"],
        authored=referral.referred_on, description="Follow up until the family is connected",
        businessStatus=local_concept("referral-status", referral.status),
        focus=origin.ref("ServiceRequest", referral.id), owner=_recipient(referral),
        requester=organization(origin.custodian),
        executionPeriod=execution(referral.referred_on, last),
        note=[annotation(_contact_text(c), c.at) for c in referral.contacts],
    )


def _contact_text(contact: Contact) -> str:
    note = f": {contact.note}" if contact.note else ""
    return f"Follow-up contact by {contact.method}, {contact.outcome}{note}"


def _team(origin: Origin, record: CdiRecord) -> JSON:
    participants = [
        staff_member(record.specialist),
        guardian_member(origin, record.caller, "caller (parent/guardian)"),
    ]
    if record.primary_care:
        participants.append(member("primary care", organization(record.primary_care)))
    return care_team(origin, "Help Me Grow team", participants, record.call_received.date())


def _consent(origin: Origin, record: CdiRecord) -> list[JSON]:
    share = record.consent_to_share
    if share is None:
        return []
    return [consent(origin, "community-referral", signed=share.given_on,
                    grantor=origin.ref("RelatedPerson", "guardian"), start=share.given_on,
                    end=share.expires_on,
                    recipients=share.recipients)]
