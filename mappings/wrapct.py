"""WrapCT: a high-fidelity Wraparound plan of care.

Family vision, team mission, strengths, prioritized needs by life domain, goals with
measurable indicators, strategies with formal and natural supports, a crisis/safety plan, a
transition plan and the Child and Family Team that the family chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from mappings import rules
from mappings.datatypes import JSON, local_concept, organization, person, text_concept
from mappings.disclosure import release_consent
from mappings.orders import execution, follow_up, service_request, task
from mappings.origin import Origin
from mappings.people import (
    care_team,
    member,
    parental_authority,
    patient,
    related_person,
    staff_member,
)
from mappings.plans import activity, care_plan, detail_activity, goal, health_concern, notes
from mappings.programs import program
from mappings.record import (
    Child,
    GoalStatus,
    Indicator,
    ItemId,
    Name,
    OrgKey,
    Phone,
    ProgramCode,
    ProgramRecord,
    Record,
    Relationship,
    SignedRelease,
    Staff,
    Text,
    local_code,
    one_of,
)
from mappings.systems import local_displays
from mappings.tables import lookup, table
from vocabulary.errors import Issue

KEY = "wrapct"
CODES = table(KEY)
_DOMAINS = local_displays("wraparound-life-domain")
LifeDomain = Annotated[str, local_code("wraparound-life-domain", "life domain")]
_ROLES = CODES["member_roles"]
MemberRole = Annotated[str, one_of(_ROLES, "team role")]


class Strength(Record):
    domain: LifeDomain | None = None
    description: Text


class Need(Record):
    id: ItemId
    domain: LifeDomain
    priority: int = Field(ge=1)
    statement: Text


class TeamMember(Record):
    id: ItemId
    name: Name
    role: MemberRole
    relationship: Relationship | None = None
    organization: OrgKey | None = None
    phone: Phone | None = None


class WrapGoal(Record):
    id: ItemId
    need: ItemId
    statement: Text
    status: GoalStatus
    indicators: list[Indicator] = Field(min_length=1)


class Strategy(Record):
    id: ItemId
    goal: ItemId
    description: Text
    support: Literal["formal", "natural"]
    responsible: ItemId
    service_type: ProgramCode | None = None
    frequency: Name | None = None
    starts_on: date
    status: Literal["not-started", "in-progress", "completed", "stopped"]


class CrisisResponse(Record):
    step: Text
    responsible: ItemId


class CrisisPlan(Record):
    triggers: list[Text] = Field(min_length=1)
    warning_signs: list[Text] = Field(min_length=1)
    responses: list[CrisisResponse] = Field(min_length=1)
    crisis_line: Name | None = None


class TransitionPlan(Record):
    readiness_criteria: Text
    target_date: date


class Release(SignedRelease):
    pass


class WrapRecord(ProgramRecord):
    """A WrapCT plan of care and its Child and Family Team."""

    record_id: Annotated[str, StringConstraints(pattern=r"^WRAP-[0-9]{4}-[0-9]{4}$")]
    child: Child
    care_coordinator: Staff
    plan_date: date
    plan_ends: date | None = None
    family_vision: Text
    team_mission: Text
    strengths: list[Strength] = Field(min_length=1)
    needs: list[Need] = Field(min_length=1)
    goals: list[WrapGoal] = Field(min_length=1)
    strategies: tuple[Strategy, ...] = ()
    crisis_plan: CrisisPlan
    transition_plan: TransitionPlan
    team: list[TeamMember] = Field(min_length=2)
    meeting_frequency: Literal["weekly", "biweekly", "monthly"] = "monthly"
    next_meeting: date
    release_of_information: Release | None = None


def check(record: WrapRecord) -> list[Issue]:
    return [
        *rules.identified(record.child),
        *rules.unique_ids(record.needs, "needs"),
        *rules.unique_ids(record.goals, "goals"),
        *rules.unique_ids(record.strategies, "strategies"),
        *rules.unique_ids(record.team, "team"),
        *[i for n, g in enumerate(record.goals)
          for i in rules.known(g.need, (x.id for x in record.needs), f"goals[{n}].need", "need")],
        *[i for n, s in enumerate(record.strategies) for i in _strategy_rules(record, s, n)],
        *[i for n, r in enumerate(record.crisis_plan.responses) for i in rules.known(
            r.responsible, _ids(record.team), f"crisis_plan.responses[{n}].responsible",
            "team member")],
        *rules.release(record.release_of_information, _ids(record.team),
                       "release_of_information", "team member"),
        *rules.not_before(record.plan_ends, record.plan_date, "plan_ends", "plan_date"),
    ]


def _ids(items: Sequence[rules.Item]) -> list[str]:
    return [item.id for item in items]


def _strategy_rules(record: WrapRecord, strategy: Strategy, n: int) -> list[Issue]:
    path = f"strategies[{n}]"
    issues = [*rules.known(strategy.goal, _ids(record.goals), f"{path}.goal", "goal"),
              *rules.known(strategy.responsible, _ids(record.team), f"{path}.responsible",
                           "team member")]
    if strategy.support == "formal" and strategy.service_type is None:
        issues.append(Issue("a formal support needs a service_type", f"{path}.service_type"))
    return issues


def to_fhir(record: WrapRecord) -> list[JSON]:
    origin = Origin(program(KEY), record.record_id)
    family = [m for m in record.team if _kind(m) == "family"]
    formal = [(n, s) for n, s in enumerate(record.strategies) if s.support == "formal"]
    return [
        patient(origin, record.child),
        *[related_person(origin, m.id, {"text": m.name}, m.relationship or "community-member",
                         m.phone, parental_authority(m.relationship)) for m in family],
        *[_need(origin, n, record.plan_date) for n in record.needs],
        _plan(origin, record),
        _crisis_plan(origin, record),
        *[_goal(origin, g, record.plan_date) for g in record.goals],
        *[_strategy(origin, record, s, n) for n, s in formal],
        _team(origin, record),
        _meeting(origin, record),
        *_release(origin, record),
    ]


def _kind(member_: TeamMember) -> str:
    return str(_ROLES[member_.role]["kind"])


def _member(record: WrapRecord, member_id: str) -> TeamMember:
    return next(m for m in record.team if m.id == member_id)


def _actor(origin: Origin, record: WrapRecord, member_id: str) -> JSON:
    """Who a team member is in FHIR: the youth, a RelatedPerson, or a professional."""
    found = _member(record, member_id)
    kind = _kind(found)
    if kind == "patient":
        return origin.ref("Patient", display=found.name)
    if kind == "family":
        return origin.ref("RelatedPerson", found.id, found.name)
    return person(found.name)


def _need(origin: Origin, need: Need, recorded: date) -> JSON:
    code = local_concept("wraparound-life-domain", need.domain, text=need.statement)
    return health_concern(origin, f"need-{need.id}", code, recorded,
                          note=notes(f"Priority {need.priority}"))


def _goal(origin: Origin, wrap_goal: WrapGoal, start: date) -> JSON:
    return goal(origin, wrap_goal.id, statement=wrap_goal.statement, status=wrap_goal.status,
                start=start, indicators=wrap_goal.indicators,
                addresses=[origin.ref("Condition", f"need-{wrap_goal.need}")])


def _plan(origin: Origin, record: WrapRecord) -> JSON:
    needs = sorted(record.needs, key=lambda n: n.priority)
    return care_plan(
        origin, created=record.plan_date, start=record.plan_date, end=record.plan_ends,
        description=f"Family vision: {record.family_vision}",
        contributor=[person(record.care_coordinator.name),
                     *[origin.ref("RelatedPerson", m.id) for m in record.team
                       if m.role == "parent"]],
        careTeam=[origin.ref("CareTeam")],
        addresses=[origin.ref("Condition", f"need-{n.id}") for n in needs],
        goal=[origin.ref("Goal", g.id) for g in record.goals],
        activity=[_activity(origin, record, s) for s in record.strategies],
        note=notes(f"Team mission: {record.team_mission}",
                   *[_strength(s) for s in record.strengths],
                   _transition(record.transition_plan)),
    )


def _strength(strength: Strength) -> str:
    where = f" ({_DOMAINS[strength.domain]})" if strength.domain else ""
    return f"Strength{where}: {strength.description}"


def _transition(plan: TransitionPlan) -> str:
    return (f"Transition plan: {plan.readiness_criteria} "
            f"Target date {plan.target_date.isoformat()}.")


def _activity(origin: Origin, record: WrapRecord, strategy: Strategy) -> JSON:
    if strategy.support == "formal":
        return activity(origin.ref("ServiceRequest", strategy.id))
    return detail_activity(strategy.description, strategy.status,
                           performers=[_actor(origin, record, strategy.responsible)],
                           goals=[origin.ref("Goal", strategy.goal)],
                           scheduled=strategy.frequency)


def _strategy(origin: Origin, record: WrapRecord, strategy: Strategy, n: int) -> JSON:
    spec = lookup(CODES["service_type"], str(strategy.service_type),
                  f"strategies[{n}].service_type")
    responsible = _member(record, strategy.responsible)
    performer = (organization(responsible.organization) if responsible.organization
                 else person(responsible.name))
    timing = {"repeat": {"boundsPeriod": {"start": strategy.starts_on.isoformat()}}}
    if strategy.frequency:
        timing["code"] = text_concept(strategy.frequency)
    return service_request(
        origin, strategy.id, spec, status=CODES["strategy_status"][strategy.status],
        intent="plan", text=strategy.description, authoredOn=record.plan_date.isoformat(),
        requester=organization(origin.custodian), performer=[performer],
        occurrenceTiming=timing, supportingInfo=[origin.ref("Goal", strategy.goal)],
    )


def _crisis_plan(origin: Origin, record: WrapRecord) -> JSON:
    crisis = record.crisis_plan
    return care_plan(
        origin, discriminator="crisis-plan", created=record.plan_date, start=record.plan_date,
        end=record.plan_ends, title="Crisis and safety plan",
        description=f"Crisis line: {crisis.crisis_line}" if crisis.crisis_line else None,
        partOf=[origin.ref("CarePlan")],
        activity=[detail_activity(r.step, "not-started",
                                  performers=[_actor(origin, record, r.responsible)])
                  for r in crisis.responses],
        note=notes("Triggers: " + "; ".join(crisis.triggers),
                   "Warning signs: " + "; ".join(crisis.warning_signs)),
    )


def _team(origin: Origin, record: WrapRecord) -> JSON:
    participants = [member(_ROLES[m.role]["display"], _actor(origin, record, m.id),
                           organization(m.organization) if m.organization else None)
                    for m in record.team]
    return care_team(origin, "Child and Family Team",
                     [staff_member(record.care_coordinator), *participants], record.plan_date)


def _meeting(origin: Origin, record: WrapRecord) -> JSON:
    cadence = CODES["meeting_frequency"][record.meeting_frequency]
    return task(
        origin, "next-team-meeting", code=follow_up("team-meeting"), status="requested",
        authored=record.plan_date, description=f"{cadence} Child and Family Team meeting",
        focus=origin.ref("CarePlan"), owner=person(record.care_coordinator.name),
        requester=organization(origin.custodian), executionPeriod=execution(record.next_meeting),
    )


def _release(origin: Origin, record: WrapRecord) -> list[JSON]:
    release = record.release_of_information
    if release is None:
        return []
    return [release_consent(origin, "wraparound-release", release,
                            _actor(origin, record, release.signed_by))]
