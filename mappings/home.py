"""H.O.M.E.: primary-care-based outreach and care coordination.

The record is the intake assessment (risk factors, referral reasons) and the written care
plan with its linked services and the appointments scheduled and kept for them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from mappings import rules
from mappings.datatypes import JSON, agency, local_concept, organization, person, text_concept
from mappings.orders import execution, fulfill, service_request, task
from mappings.origin import Origin
from mappings.people import care_team as team
from mappings.people import guardian, guardian_member, member, patient, staff_member
from mappings.plans import activity, care_plan, goal, health_concern, notes
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
    Staff,
    Text,
    local_code,
)
from mappings.systems import local_displays
from mappings.tables import lookup, table
from vocabulary.errors import Issue

KEY = "home"
CODES = table(KEY)
RiskFactor = Annotated[str, local_code("home-risk-factor", "risk factor")]
ReferralReason = Annotated[str, local_code("referral-reason", "referral reason")]


class Intake(Record):
    assessed_on: date
    referred_by: OrgKey
    referral_reasons: list[ReferralReason] = Field(min_length=1)
    risk_factors: list[RiskFactor] = Field(min_length=1)
    transfers_of_care_24_months: int = Field(default=0, ge=0)
    summary: Text | None = None


class Appointment(Record):
    id: ItemId
    scheduled_for: AwareDatetime
    status: Literal["scheduled", "kept", "missed", "cancelled"]
    with_provider: Name | None = None
    transportation_arranged: bool = False


class Service(Record):
    id: ItemId
    service_type: ProgramCode
    description: Text
    status: Literal["planned", "referred", "in-progress", "completed", "declined"]
    provider: OrgKey | None = None
    provider_name: Name | None = None
    referred_on: date | None = None
    appointments: tuple[Appointment, ...] = ()


class Goal(Record):
    id: ItemId
    statement: Text
    status: GoalStatus
    indicators: tuple[Indicator, ...] = ()


class WrittenCarePlan(Record):
    written_on: date
    review_by: date
    goals: tuple[Goal, ...] = ()
    services: list[Service] = Field(min_length=1)


class HomeRecord(ProgramRecord):
    """A H.O.M.E. enrollment: intake assessment plus written care plan."""

    record_id: Annotated[str, StringConstraints(pattern=r"^HOME-[0-9]{4}-[0-9]{4}$")]
    child: Child
    guardian: Guardian
    care_coordinator: Staff
    primary_care: OrgKey
    enrolled_on: date
    discharged_on: date | None = None
    intake: Intake
    care_plan: WrittenCarePlan


def check(record: HomeRecord) -> list[Issue]:
    plan = record.care_plan
    return [
        *rules.identified(record.child),
        *rules.unique_ids(plan.goals, "care_plan.goals"),
        *rules.unique_ids(plan.services, "care_plan.services"),
        *[issue for i, s in enumerate(plan.services) for issue in rules.unique_ids(
            s.appointments, f"care_plan.services[{i}].appointments")],
        *rules.not_before(record.discharged_on, record.enrolled_on, "discharged_on",
                          "enrolled_on"),
        *rules.not_before(plan.review_by, plan.written_on, "care_plan.review_by",
                          "care_plan.written_on"),
        *_transfers_match(record.intake),
    ]


def _transfers_match(intake: Intake) -> list[Issue]:
    if "care-transfers" in intake.risk_factors and intake.transfers_of_care_24_months <= 2:
        return [Issue("risk factor care-transfers needs more than 2 transfers in 24 months",
                      "intake.transfers_of_care_24_months")]
    return []


def to_fhir(record: HomeRecord) -> list[JSON]:
    origin = Origin(program(KEY), record.record_id)
    plan = record.care_plan
    services = [_service(origin, s, i) for i, s in enumerate(plan.services)]
    return [
        patient(origin, record.child),
        guardian(origin, record.guardian),
        *[_risk(origin, code, record.intake.assessed_on) for code in record.intake.risk_factors],
        _plan(origin, record),
        *[goal(origin, g.id, statement=g.statement, status=g.status, start=plan.written_on,
               indicators=g.indicators) for g in plan.goals],
        *services,
        *[_appointment(origin, s, a) for s in plan.services for a in s.appointments],
        _team(origin, record),
    ]


def _risk(origin: Origin, code: str, assessed_on: date) -> JSON:
    return health_concern(origin, f"risk-{code}", local_concept("home-risk-factor", code),
                          assessed_on)


def _plan(origin: Origin, record: HomeRecord) -> JSON:
    plan = record.care_plan
    displays = local_displays("referral-reason")
    reasons = ", ".join(displays[r] for r in record.intake.referral_reasons)
    return care_plan(
        origin, created=plan.written_on, start=record.enrolled_on, end=record.discharged_on,
        closed=record.discharged_on is not None,
        description=f"Referral reasons: {reasons}.",
        contributor=[person(record.care_coordinator.name),
                     origin.ref("RelatedPerson", "guardian")],
        careTeam=[origin.ref("CareTeam")],
        addresses=[origin.ref("Condition", f"risk-{c}") for c in record.intake.risk_factors],
        goal=[origin.ref("Goal", g.id) for g in plan.goals],
        activity=[activity(origin.ref("ServiceRequest", s.id)) for s in plan.services],
        note=notes(record.intake.summary),
    )


def _service(origin: Origin, service: Service, index: int) -> JSON:
    spec = lookup(CODES["service_type"], service.service_type,
                  f"care_plan.services[{index}].service_type")
    state = CODES["service_status"][service.status]
    return service_request(
        origin, service.id, spec, status=state["status"], intent=state["intent"],
        authoredOn=service.referred_on.isoformat() if service.referred_on else None,
        text=service.description, requester=organization(origin.custodian),
        performer=_provider(service),
    )


def _provider(service: Service) -> list[JSON]:
    found = agency(service.provider, service.provider_name)
    return [found] if found else []


def _appointment(origin: Origin, service: Service, appointment: Appointment) -> JSON:
    when = appointment.scheduled_for
    return task(
        origin, f"{service.id}/{appointment.id}", code=fulfill(),
        status=CODES["appointment_status"][appointment.status], authored=when.date(),
        description=_appointment_text(service, appointment),
        businessStatus=text_concept(f"appointment {appointment.status}"),
        focus=origin.ref("ServiceRequest", service.id),
        requester=organization(origin.custodian), owner=next(iter(_provider(service)), None),
        executionPeriod=execution(when),
        input=[_transport(appointment)] if appointment.transportation_arranged else [],
    )


def _appointment_text(service: Service, appointment: Appointment) -> str:
    who = f" with {appointment.with_provider}" if appointment.with_provider else ""
    return f"Appointment{who}: {service.description}"


def _transport(appointment: Appointment) -> JSON:
    return {"type": text_concept("transportation arranged"), "valueBoolean": True}


def _team(origin: Origin, record: HomeRecord) -> JSON:
    participants = [
        staff_member(record.care_coordinator),
        guardian_member(origin, record.guardian, "parent/guardian"),
        member("primary care", organization(record.primary_care)),
    ]
    return team(origin, "H.O.M.E. care team", participants, record.enrolled_on)
