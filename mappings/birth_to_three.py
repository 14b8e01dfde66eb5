"""Birth to Three (IDEA Part C): the Individualized Family Service Plan.

The record carries every element of 34 CFR 303.344
(https://www.ecfr.gov/current/title-34/subtitle-B/chapter-III/part-303/subpart-D/section-303.344),
the reviews of 303.342 and the parental consents of 303.420 and 303.414. Early intervention
records are FERPA/IDEA education records; consent/labels.yaml labels them so by source.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from mappings import rules
from mappings.datatypes import JSON, local_concept, organization, person, text_concept
from mappings.disclosure import consent, release_consent
from mappings.orders import due_by, follow_up, service_request, task, timing
from mappings.origin import Origin
from mappings.people import care_team, guardian, guardian_member, member, patient, staff_member
from mappings.plans import activity, care_plan, detail_activity, goal, notes
from mappings.programs import program
from mappings.record import (
    Child,
    GoalStatus,
    Guardian,
    Indicator,
    ItemId,
    Name,
    OrgKey,
    ProgramCode,
    ProgramRecord,
    Record,
    SignedRelease,
    Staff,
    Text,
    local_code,
)
from mappings.systems import local_displays
from mappings.tables import common, lookup, table
from vocabulary.errors import Issue

KEY = "birth-to-three"
CODES = table(KEY)


Setting = Annotated[str, local_code("ei-service-setting", "setting")]
Intensity = Annotated[str, local_code("ei-service-intensity", "intensity")]
Method = Annotated[str, local_code("ei-service-method", "method")]
Payment = Annotated[str, local_code("ei-payment-source", "payment source")]


class Parent(Guardian):
    id: ItemId


class PresentLevels(Record):
    """303.344(a): present levels of development, based on objective criteria."""

    assessed_on: date
    tools: list[Name] = Field(min_length=1)
    physical: Text
    vision: Text
    hearing: Text
    health: Text
    cognitive: Text
    communication: Text
    social_emotional: Text
    adaptive: Text


class FamilyAssessment(Record):
    """303.344(b): recorded only with the family's agreement."""

    family_agreed: bool
    resources: Text | None = Field(default=None, validate_default=True)
    priorities: Text | None = Field(default=None, validate_default=True)
    concerns: Text | None = Field(default=None, validate_default=True)

    @field_validator("resources", "priorities", "concerns")
    @classmethod
    def _only_if_agreed(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not info.data.get("family_agreed"):
            raise ValueError("may only be recorded when the family agreed (family_agreed)")
        return value


class Outcome(Record):
    """303.344(c): a measurable result, with criteria, procedures and timelines."""

    id: ItemId
    focus: Literal["child", "family"]
    statement: Text
    criteria: Text
    procedures: Text
    timeline: date
    indicator: Indicator | None = None
    status: GoalStatus = "active"
    revision_needed: bool = False


class Frequency(Record):
    sessions: int = Field(ge=1, le=31)
    per: Literal["week", "month"]


class Service(Record):
    """303.344(d) and (f): one early intervention service."""

    id: ItemId
    service_type: ProgramCode
    outcomes: list[ItemId] = Field(min_length=1)
    frequency: Frequency
    length_minutes: int = Field(ge=5, le=480)
    intensity: Intensity
    method: Method
    setting: Setting
    natural_environment: bool
    justification: Text | None = Field(default=None, validate_default=True)
    payment: Payment
    projected_start: date
    projected_end: date
    provider: OrgKey
    provider_name: Name | None = None

    @field_validator("justification")
    @classmethod
    def _justified(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("natural_environment") is False:
            raise ValueError("a service outside the natural environment needs a justification")
        return value


class OtherService(Record):
    """303.344(e): services the child or family needs that Part C does not provide."""

    description: Text
    provider_name: Name | None = None
    funding: Text | None = None
    steps_to_secure: Text | None = None


class Transition(Record):
    """303.344(h) and 303.209: steps and services for the transition at age three."""

    conference_date: date
    steps: list[Text] = Field(min_length=1)
    lea_notified_on: date | None = None
    program_options: Text | None = None


class Reviews(Record):
    """303.342: periodic review every six months, evaluation every year."""

    six_month_review_due: date
    annual_meeting_due: date


class ServicesConsent(Record):
    signed_by: ItemId
    signed_on: date


class ExchangeConsent(SignedRelease):
    pass


class Consents(Record):
    services: ServicesConsent
    exchange_of_information: ExchangeConsent | None = None


class IfspRecord(ProgramRecord):
    """A Birth to Three IFSP."""

    record_id: Annotated[str, StringConstraints(pattern=r"^IFSP-[0-9]{4}-[0-9]{4}$")]
    ifsp_type: Literal["initial", "six-month-review", "annual", "interim"]
    meeting_date: date
    eligibility: Literal["developmental-delay", "diagnosed-condition"]
    child: Child
    parents: list[Parent] = Field(min_length=1)
    service_coordinator: Staff
    present_levels: PresentLevels
    family_assessment: FamilyAssessment
    outcomes: list[Outcome] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)
    other_services: tuple[OtherService, ...] = ()
    transition: Transition
    reviews: Reviews
    consents: Consents


def check(record: IfspRecord) -> list[Issue]:
    parents = [p.id for p in record.parents]
    outcomes = [o.id for o in record.outcomes]
    consents = record.consents
    return [
        *rules.identified(record.child),
        *rules.unique_ids(record.parents, "parents"),
        *rules.unique_ids(record.outcomes, "outcomes"),
        *rules.unique_ids(record.services, "services"),
        *[i for n, s in enumerate(record.services) for i in _service_rules(s, n, outcomes)],
        *_review_rules(record),
        *_transition_rules(record),
        *rules.known(consents.services.signed_by, parents, "consents.services.signed_by",
                     "parent"),
        *rules.release(consents.exchange_of_information, parents,
                       "consents.exchange_of_information", "parent"),
    ]


def _service_rules(service: Service, n: int, outcomes: list[str]) -> list[Issue]:
    path = f"services[{n}]"
    return [*[i for k, o in enumerate(service.outcomes)
              for i in rules.known(o, outcomes, f"{path}.outcomes[{k}]", "outcome")],
            *rules.not_before(service.projected_end, service.projected_start,
                              f"{path}.projected_end", "projected_start")]


def _review_rules(record: IfspRecord) -> list[Issue]:
    reviews, met = record.reviews, record.meeting_date
    return [*rules.not_after(reviews.six_month_review_due, rules.add_months(met, 6),
                             "reviews.six_month_review_due", "six months after meeting_date"),
            *rules.not_after(reviews.annual_meeting_due, rules.add_months(met, 12),
                             "reviews.annual_meeting_due", "a year after meeting_date")]


def third_birthday(child: Child) -> date:
    return rules.add_months(child.date_of_birth, 36)


def _transition_rules(record: IfspRecord) -> list[Issue]:
    """303.209(b): the conference is 90 days to 9 months before the third birthday."""
    birthday = third_birthday(record.child)
    conference = record.transition.conference_date
    path = "transition.conference_date"
    return [*rules.not_after(conference, date.fromordinal(birthday.toordinal() - 90), path,
                             "90 days before the third birthday"),
            *rules.not_before(conference, rules.add_months(birthday, -9), path,
                              "nine months before the third birthday")]


def to_fhir(record: IfspRecord) -> list[JSON]:
    origin = Origin(program(KEY), record.record_id)
    return [
        patient(origin, record.child),
        *[guardian(origin, p, p.id) for p in record.parents],
        _plan(origin, record),
        *[_outcome(origin, record, o) for o in record.outcomes],
        *[_service(origin, record, s, n) for n, s in enumerate(record.services)],
        _team(origin, record),
        *_follow_ups(origin, record),
        *_consents(origin, record),
    ]


def _plan(origin: Origin, record: IfspRecord) -> JSON:
    kind = CODES["ifsp_type"][record.ifsp_type]
    return care_plan(
        origin, created=record.meeting_date, start=record.meeting_date,
        end=record.reviews.annual_meeting_due,
        description=f"{kind}. {CODES['eligibility'][record.eligibility]}.",
        contributor=[person(record.service_coordinator.name),
                     *[origin.ref("RelatedPerson", p.id) for p in record.parents]],
        careTeam=[origin.ref("CareTeam")],
        goal=[origin.ref("Goal", o.id) for o in record.outcomes],
        activity=[*[activity(origin.ref("ServiceRequest", s.id)) for s in record.services],
                  *[detail_activity(_other(o), "not-started") for o in record.other_services]],
        note=notes(_present_levels(record.present_levels), *_family(record.family_assessment),
                   _transition(record.transition)),
    )


def _present_levels(levels: PresentLevels) -> str:
    lines = [f"{label}: {getattr(levels, field)}"
             for field, label in CODES["present_levels"].items()]
    tools = ", ".join(levels.tools)
    return (f"Present levels of development (assessed {levels.assessed_on.isoformat()} "
            f"with {tools}). " + " ".join(lines))


def _family(assessment: FamilyAssessment) -> list[str]:
    parts = [("resources", assessment.resources), ("priorities", assessment.priorities),
             ("concerns", assessment.concerns)]
    return [f"Family {name} (recorded with the family's agreement): {text}"
            for name, text in parts if text]


def _transition(transition: Transition) -> str:
    steps = " ".join(f"{n}. {s}" for n, s in enumerate(transition.steps, 1))
    options = f" Options: {transition.program_options}" if transition.program_options else ""
    return f"Transition plan: {steps}{options}"


def _other(other: OtherService) -> str:
    parts = [other.description, other.provider_name and f"provider: {other.provider_name}",
             other.funding and f"funding: {other.funding}",
             other.steps_to_secure and f"steps to secure: {other.steps_to_secure}"]
    return "; ".join(p for p in parts if p)


def _outcome(origin: Origin, record: IfspRecord, outcome: Outcome) -> JSON:
    indicators = [outcome.indicator] if outcome.indicator else []
    untargeted = {} if indicators else {"target": [_criteria_target(outcome)]}
    return goal(
        origin, outcome.id, statement=outcome.statement, status=outcome.status,
        start=record.meeting_date, indicators=indicators, **untargeted,
        expressedBy=_family_voice(origin, record) if outcome.focus == "family" else None,
        note=notes(f"Criteria: {outcome.criteria}", f"Procedures: {outcome.procedures}",
                   "Revision of this outcome or its services is needed."
                   if outcome.revision_needed else None),
    )


def _criteria_target(outcome: Outcome) -> JSON:
    return {"measure": text_concept(outcome.criteria), "dueDate": outcome.timeline.isoformat()}


def _family_voice(origin: Origin, record: IfspRecord) -> JSON:
    return origin.ref("RelatedPerson", record.parents[0].id)


def _service(origin: Origin, record: IfspRecord, service: Service, n: int) -> JSON:
    spec = lookup(CODES["service_type"], service.service_type, f"services[{n}].service_type")
    performers = [organization(service.provider)]
    if service.provider_name:
        performers.append(person(service.provider_name))
    return service_request(
        origin, service.id, spec, status="active", intent="order",
        authoredOn=record.meeting_date.isoformat(), requester=organization(origin.custodian),
        performer=performers, occurrenceTiming=_timing(service),
        locationCode=[local_concept("ei-service-setting", service.setting)],
        orderDetail=[local_concept("ei-service-intensity", service.intensity),
                     local_concept("ei-service-method", service.method),
                     local_concept("ei-payment-source", service.payment)],
        supportingInfo=[origin.ref("Goal", o) for o in service.outcomes],
        note=notes(_environment(service)),
    )


def _timing(service: Service) -> JSON:
    unit = common("periods")[service.frequency.per]
    return timing(service.frequency.sessions, unit, service.length_minutes,
                  service.projected_start, service.projected_end)


def _environment(service: Service) -> str:
    if service.natural_environment:
        return "Provided in the child's natural environment."
    return f"Not in a natural environment. Justification: {service.justification}"


def _team(origin: Origin, record: IfspRecord) -> JSON:
    parents = [guardian_member(origin, p, "parent", p.id) for p in record.parents]
    providers = [_provider(s, n) for n, s in enumerate(record.services)]
    return care_team(origin, "IFSP team", [staff_member(record.service_coordinator),
                                           *parents, *providers], record.meeting_date)


def _provider(service: Service, n: int) -> JSON:
    spec = lookup(CODES["service_type"], service.service_type, f"services[{n}].service_type")
    agency = organization(service.provider)
    if service.provider_name:
        return member(spec["provider_role"], person(service.provider_name), agency)
    return member(spec["provider_role"], agency)


def _follow_ups(origin: Origin, record: IfspRecord) -> list[JSON]:
    due = [("ifsp-six-month-review", record.reviews.six_month_review_due),
           ("ifsp-annual-meeting", record.reviews.annual_meeting_due),
           ("transition-conference", record.transition.conference_date)]
    return [task(origin, code, code=follow_up(code), status="requested",
                 authored=record.meeting_date, description=local_displays("follow-up-type")[code],
                 focus=origin.ref("CarePlan"), owner=person(record.service_coordinator.name),
                 requester=organization(origin.custodian), restriction=due_by(day))
            for code, day in due]


def _consents(origin: Origin, record: IfspRecord) -> list[JSON]:
    services = record.consents.services
    found = [consent(origin, "ifsp-services", signed=services.signed_on,
                     grantor=origin.ref("RelatedPerson", services.signed_by),
                     start=services.signed_on, end=record.reviews.annual_meeting_due)]
    exchange = record.consents.exchange_of_information
    if exchange:
        found.append(release_consent(origin, "ifsp-exchange", exchange,
                                     origin.ref("RelatedPerson", exchange.signed_by)))
    return found
