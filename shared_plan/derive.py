"""The shared plan: one CarePlan per child, a pure function of the child's contributions.

Its shape follows the MCC eCare Plan CarePlan
(https://hl7.org/fhir/us/mcc/StructureDefinition-MCCCarePlan.html): a local category
"shared plan", the `custodian` extension naming the lead care coordinator's organization,
`contributor` for every contributing organization, the merged CareTeam, every program's
Goals, and an activity per service. Program plans are `partOf` it (`part_of`).

The lead coordinator is the contributing program highest in `LEAD`: high-fidelity
Wraparound first (it convenes the family's whole team), then the CYSHCN medical home, then
H.O.M.E., Birth to Three and Help Me Grow; with none of them, the first contributor.

Every id is derived from the golden Patient's id, contributions are taken in a fixed order,
and no clock is read, so deriving twice gives the same resources.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from consent.codes import ONEPLAN_BASE
from consent.labels import LabelContext, label
from mappings.ids import resource_id
from shared_plan import activities
from shared_plan.contribution import SOURCE, Child, Contribution, organization
from shared_plan.narrative import summary
from shared_plan.provenance import provenance
from shared_plan.team import care_team

JSON = dict[str, Any]
NAMESPACE = "shared-plan"
CUSTODIAN = "http://hl7.org/fhir/us/mcc/StructureDefinition/custodian"
CATEGORY = {"system": f"{ONEPLAN_BASE}/CodeSystem/oneplan-careplan-category",
            "code": "shared-plan", "display": "Shared plan"}
LEAD = ("wrap-north", "cyshcn-nc", "home-hhc", "b23-hartford", "hmg-211")


def plan_id(golden_id: str) -> str:
    return resource_id(NAMESPACE, golden_id, "CarePlan")


def lead(contributions: Sequence[Contribution]) -> str | None:
    present = {c.organization for c in contributions}
    ranked = [key for key in LEAD if key in present]
    return ranked[0] if ranked else (contributions[0].organization if contributions else None)


def part_of(resources: Sequence[JSON], golden_id: str) -> list[JSON]:
    """Copies of a program's resources with each CarePlan `partOf` the shared plan."""
    whole = {"reference": f"CarePlan/{plan_id(golden_id)}"}
    return [{**r, "partOf": [whole]} if r.get("resourceType") == "CarePlan"
            and r.get("id") != plan_id(golden_id) else r for r in resources]


def derive(child: Child, contributions: Sequence[Contribution]) -> list[JSON]:
    """The shared CarePlan, the merged CareTeam, a Provenance per contribution and a Task
    per conflict, each labelled."""
    ordered = sorted(contributions, key=lambda c: c.source)
    golden = child.golden
    leader = lead(ordered)
    groups = activities.services(ordered)
    team = care_team(child, ordered, resource_id(NAMESPACE, golden, "CareTeam"),
                     organization(leader) if leader else None)
    tasks = [_conflict(child, g, why, leader) for g in groups
             if (why := activities.disagreement(g))]
    plan = _plan(child, ordered, groups, team, leader)
    plan["text"] = summary(child, plan, team, ordered)
    made = [plan, team, *(provenance(plan["id"], c, NAMESPACE) for c in ordered), *tasks]
    context = LabelContext(source=leader)
    return [label(r, context) for r in made]


def _plan(child: Child, ordered: Sequence[Contribution], groups: list[list[activities.Request]],
          team: JSON, leader: str | None) -> JSON:
    found = [a for g in groups if (a := activities.activity(g))]
    goals = sorted({g["id"] for c in ordered for g in c.of_type("Goal")})
    concerns = sorted({f"Condition/{c['id']}" for o in ordered for c in o.of_type("Condition")})
    plan: JSON = {
        "resourceType": "CarePlan", "id": plan_id(child.golden), "meta": {"source": SOURCE},
        "status": "active", "intent": "plan", "category": [{"coding": [CATEGORY]}],
        "title": "Shared plan of care", "subject": child.patient,
        "contributor": [organization(k) for k in sorted({c.organization for c in ordered})],
        "careTeam": [{"reference": f"CareTeam/{team['id']}"}],
    }
    if leader:
        plan["extension"] = [{"url": CUSTODIAN, "valueReference": organization(leader)}]
    if concerns:
        plan["addresses"] = [{"reference": c} for c in concerns]
    if goals:
        plan["goal"] = [{"reference": f"Goal/{g}"} for g in goals]
    if found:
        plan["activity"] = found
    return plan


def _conflict(child: Child, group: Sequence[activities.Request], why: str,
              leader: str | None) -> JSON:
    urls = sorted({r.url for r in group})
    who = ", ".join(sorted({r.organization for r in group}))
    kind = group[0].resource.get("code", {}).get("text") or group[0].kind[0]
    task: JSON = {
        "resourceType": "Task", "id": resource_id(NAMESPACE, child.golden, "Task",
                                                  "|".join(urls)),
        "meta": {"source": SOURCE}, "status": "requested", "intent": "order",
        "description": f"{who} disagree on the {why} of {kind}: the lead coordinator decides.",
        "focus": {"reference": f"CarePlan/{plan_id(child.golden)}"}, "for": child.patient,
        "input": [{"type": {"text": "conflicting request"},
                   "valueReference": {"reference": url}} for url in urls],
    }
    if leader:
        task["owner"] = organization(leader)
    return task
