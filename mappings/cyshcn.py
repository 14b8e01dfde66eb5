"""Medical Home Initiative for CYSHCN: the shared plan of care.

A medical summary, family strengths and preferences, and a negotiated plan of action
(clinical and family goals, actions, responsible partners, timelines), with attachments:
emergency plan, condition protocols, IEP/504 (education records: consent/labels.yaml labels
them FERPA by their attachment kind).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from mappings import rules
from mappings.datatypes import JSON, agency, concept, local_concept, organization, period, person
from mappings.orders import due_by, follow_up, service_request, task
from mappings.origin import Origin
from mappings.people import care_team, guardian, guardian_member, member, patient, staff_member
from mappings.plans import CONFIRMED, PROBLEM, activity, care_plan, condition, goal, notes
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
from mappings.tables import lookup, table
from vocabulary.errors import Issue

KEY = "cyshcn"
CODES = table(KEY)
AttachmentKind = Annotated[str, local_code("cyshcn-attachment", "attachment kind")]
Icd10Cm = Annotated[str, StringConstraints(pattern=r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")]
Responsible = Literal["family", "medical-home", "care-coordinator", "specialist", "school",
                      "community-partner"]


class Diagnosis(Record):
    icd10cm: Icd10Cm
    description: Text
    onset: date | None = None


class MedicalSummary(Record):
    diagnoses: list[Diagnosis] = Field(min_length=1)
    medications: tuple[Text, ...] = ()
    allergies: tuple[Text, ...] = ()
    summary: Text | None = None


class FamilyView(Record):
    strengths: list[Text] = Field(min_length=1)
    preferences: tuple[Text, ...] = ()


class PlanGoal(Record):
    id: ItemId
    kind: Literal["clinical", "family"]
    statement: Text
    status: GoalStatus
    indicators: tuple[Indicator, ...] = ()


class Action(Record):
    id: ItemId
    goal: ItemId
    description: Text
    responsible: Responsible
    partner: OrgKey | None = None
    partner_name: Name | None = None
    due: date
    status: Literal["not-started", "in-progress", "done", "stopped"]
    service_type: ProgramCode | None = None


class Attachment(Record):
    id: ItemId
    kind: AttachmentKind
    title: Name
    dated: date
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")]
    content_type: Literal["application/pdf", "text/html", "image/jpeg", "image/png"] = (
        "application/pdf")


class SharedPlanRecord(ProgramRecord):
    """A CYSHCN shared plan of care."""

    record_id: Annotated[str, StringConstraints(pattern=r"^SPOC-[0-9]{4}-[0-9]{4}$")]
    child: Child
    guardian: Guardian
    care_coordinator: Staff
    medical_home: OrgKey
    plan_date: date
    next_review: date
    medical_summary: MedicalSummary
    family: FamilyView
    goals: list[PlanGoal] = Field(min_length=1)
    actions: list[Action] = Field(min_length=1)
    attachments: tuple[Attachment, ...] = ()


def check(record: SharedPlanRecord) -> list[Issue]:
    goals = [g.id for g in record.goals]
    return [
        *rules.identified(record.child),
        *rules.unique_ids(record.goals, "goals"),
        *rules.unique_ids(record.actions, "actions"),
        *rules.unique_ids(record.attachments, "attachments"),
        *[i for n, a in enumerate(record.actions)
          for i in rules.known(a.goal, goals, f"actions[{n}].goal", "goal")],
        *rules.not_before(record.next_review, record.plan_date, "next_review", "plan_date"),
    ]


def to_fhir(record: SharedPlanRecord) -> list[JSON]:
    origin = Origin(program(KEY), record.record_id)
    diagnoses = record.medical_summary.diagnoses
    return [
        patient(origin, record.child),
        guardian(origin, record.guardian),
        *[_diagnosis(origin, d, record.plan_date) for d in diagnoses],
        _plan(origin, record),
        *[_goal(origin, record, g) for g in record.goals],
        *[_action(origin, record, a, n) for n, a in enumerate(record.actions)],
        *[_attachment(origin, record, a) for a in record.attachments],
        _team(origin, record),
    ]


def _diagnosis(origin: Origin, diagnosis: Diagnosis, recorded: date) -> JSON:
    code = concept({"system": "icd10cm", "code": diagnosis.icd10cm,
                    "display": diagnosis.description}, text=diagnosis.description)
    return condition(origin, diagnosis.icd10cm, category=PROBLEM, code=code, recorded=recorded,
                     verificationStatus=concept(CONFIRMED),
                     onsetDateTime=diagnosis.onset.isoformat() if diagnosis.onset else None)


def _plan(origin: Origin, record: SharedPlanRecord) -> JSON:
    summary, family = record.medical_summary, record.family
    return care_plan(
        origin, created=record.plan_date, start=record.plan_date, end=record.next_review,
        description=summary.summary,
        contributor=[person(record.care_coordinator.name), organization(record.medical_home),
                     origin.ref("RelatedPerson", "guardian")],
        careTeam=[origin.ref("CareTeam")],
        addresses=[origin.ref("Condition", d.icd10cm) for d in summary.diagnoses],
        supportingInfo=[origin.ref("DocumentReference", a.id) for a in record.attachments],
        goal=[origin.ref("Goal", g.id) for g in record.goals],
        activity=[activity(_action_ref(origin, a)) for a in record.actions],
        note=notes(_listing("Medications", summary.medications),
                   _listing("Allergies", summary.allergies),
                   _listing("Family strengths", family.strengths),
                   _listing("Family preferences", family.preferences)),
    )


def _listing(title: str, items: Sequence[str]) -> str | None:
    return f"{title}: " + "; ".join(items) if items else None


def _action_ref(origin: Origin, action: Action) -> JSON:
    kind = "ServiceRequest" if action.service_type else "Task"
    return origin.ref(kind, action.id)


def _goal(origin: Origin, record: SharedPlanRecord, plan_goal: PlanGoal) -> JSON:
    voice = origin.ref("RelatedPerson", "guardian") if plan_goal.kind == "family" else None
    return goal(origin, plan_goal.id, statement=plan_goal.statement, status=plan_goal.status,
                start=record.plan_date, indicators=plan_goal.indicators, expressedBy=voice,
                category=[{"text": f"{plan_goal.kind} goal"}])


def _partner(action: Action) -> JSON | None:
    return agency(action.partner, action.partner_name)


def _action(origin: Origin, record: SharedPlanRecord, action: Action, n: int) -> JSON:
    state = CODES["action_status"][action.status]
    if action.service_type is None:
        return task(origin, action.id, code=follow_up("care-action"), status=state["task"],
                    authored=record.plan_date, description=action.description,
                    focus=origin.ref("CarePlan"), owner=_partner(action),
                    requester=organization(origin.custodian), restriction=due_by(action.due),
                    note=notes(f"Responsible: {CODES['responsible'][action.responsible]}"))
    spec = lookup(CODES["service_type"], action.service_type, f"actions[{n}].service_type")
    partner = _partner(action)
    return service_request(
        origin, action.id, spec, status=state["request"], intent="plan", text=action.description,
        authoredOn=record.plan_date.isoformat(), requester=organization(record.medical_home),
        performer=[partner] if partner else [],
        occurrencePeriod=_window(record, action),
        supportingInfo=[origin.ref("Goal", action.goal)],
    )


def _window(record: SharedPlanRecord, action: Action) -> JSON:
    """When the service should happen: from the plan's date to the action's due date. An
    action a reviewed plan carries over may already be past due; its start is then unknown
    and the period keeps only the due date (a Period's start may not follow its end, per-1)."""
    start = record.plan_date if record.plan_date <= action.due else None
    return period(start, action.due)


def _attachment(origin: Origin, record: SharedPlanRecord, attachment: Attachment) -> JSON:
    return origin.resource(
        "DocumentReference", attachment.id, status="current",
        type=local_concept("cyshcn-attachment", attachment.kind), subject=origin.patient,
        custodian=organization(origin.custodian), description=attachment.title,
        content=[{"attachment": {"contentType": attachment.content_type,
                                 "url": attachment.url, "title": attachment.title,
                                 "creation": attachment.dated.isoformat()}}],
    )


def _team(origin: Origin, record: SharedPlanRecord) -> JSON:
    partners = {(a.responsible, a.partner, a.partner_name) for a in record.actions}
    members = [member(CODES["responsible"][role], who)
               for role, org, name in sorted(partners, key=str) if (who := agency(org, name))]
    return care_team(origin, "Shared plan of care team", [
        staff_member(record.care_coordinator),
        guardian_member(origin, record.guardian, "parent/guardian"),
        member("medical home", organization(record.medical_home)), *members,
    ], record.plan_date)
