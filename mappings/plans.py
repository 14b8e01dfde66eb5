"""Plans and what they aim at: CarePlan, Goal and Condition (health concerns and problems).

https://hl7.org/fhir/R4/careplan.html, https://hl7.org/fhir/R4/goal.html,
https://hl7.org/fhir/R4/condition.html, US Core CarePlan `assess-plan` category:
https://hl7.org/fhir/us/core/StructureDefinition-us-core-careplan.html
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mappings.datatypes import JSON, compact, concept, organization, period, quantity, text_concept
from mappings.origin import Origin
from mappings.record import Indicator
from mappings.tables import common

ASSESS_PLAN = {"system": "us-core-careplan-category", "code": "assess-plan",
               "display": "Assessment and Plan of Treatment"}
HEALTH_CONCERN = {"system": "us-core-condition-category", "code": "health-concern",
                  "display": "Health Concern"}
PROBLEM = {"system": "condition-category", "code": "problem-list-item",
           "display": "Problem List Item"}
ACTIVE = {"system": "condition-clinical", "code": "active", "display": "Active"}
CONFIRMED = {"system": "condition-ver-status", "code": "confirmed", "display": "Confirmed"}


def care_plan(origin: Origin, *, created: date, start: date, end: date | None = None,
              closed: bool = False, discriminator: str | None = None, **body: Any) -> JSON:
    """A program's plan; `body` adds the remaining CarePlan elements (goal, activity, ...)."""
    program = origin.program
    fields: dict[str, Any] = {
        "status": "completed" if closed else "active", "intent": "plan",
        "category": [concept(ASSESS_PLAN), concept(program.plan_category)],
        "title": program.plan_title, "subject": origin.patient, "period": period(start, end),
        "created": created.isoformat(), "author": organization(origin.custodian),
    }
    return origin.resource("CarePlan", discriminator, **(fields | body))


def activity(reference: JSON) -> JSON:
    return {"reference": reference}


def detail_activity(description: str, status: str, performers: Sequence[JSON] = (),
                    goals: Sequence[JSON] = (), scheduled: str | None = None) -> JSON:
    """An activity the plan describes inline: no request resource stands behind it."""
    return {"detail": compact(status=status, description=description, goal=list(goals),
                              performer=list(performers), scheduledString=scheduled)}


def target(indicator: Indicator) -> JSON:
    comparator = common("comparators")[indicator.comparator]
    return {"measure": text_concept(indicator.measure),
            "detailQuantity": quantity(indicator.target, indicator.unit, comparator),
            "dueDate": indicator.target_date.isoformat()}


def goal(origin: Origin, discriminator: str, *, statement: str, status: str, start: date,
         indicators: Sequence[Indicator] = (), **body: Any) -> JSON:
    state = common("goal_status")[status]
    achievement = state["achievement"]
    fields: dict[str, Any] = {
        "lifecycleStatus": state["lifecycle"],
        "achievementStatus": concept(_achievement(achievement)) if achievement else None,
        "description": text_concept(statement), "subject": origin.patient,
        "startDate": start.isoformat(), "target": [target(i) for i in indicators],
    }
    return origin.resource("Goal", discriminator, **(fields | body))


def _achievement(code: str) -> JSON:
    return {"system": "goal-achievement", "code": code,
            "display": common("achievement_displays")[code]}


def condition(origin: Origin, discriminator: str, *, category: JSON, code: JSON,
              recorded: date, **body: Any) -> JSON:
    fields: dict[str, Any] = {
        "clinicalStatus": concept(ACTIVE), "category": [concept(category)], "code": code,
        "subject": origin.patient, "recordedDate": recorded.isoformat(),
    }
    return origin.resource("Condition", discriminator, **(fields | body))


def health_concern(origin: Origin, discriminator: str, code: JSON, recorded: date,
                   **body: Any) -> JSON:
    return condition(origin, discriminator, category=HEALTH_CONCERN, code=code,
                     recorded=recorded, **body)


def notes(*texts: str | None) -> list[JSON]:
    return [{"text": t} for t in texts if t]


