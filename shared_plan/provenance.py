"""Who contributed what to the shared plan: one Provenance per contribution, its time the
contribution's own latest date, never the clock. https://hl7.org/fhir/R4/provenance.html"""

from __future__ import annotations

from typing import Any

from mappings.ids import resource_id
from shared_plan.contribution import SOURCE, Contribution, organization

JSON = dict[str, Any]
DATED = ("created", "authoredOn", "authored", "recordedDate", "startDate")
EPOCH = "2000-01-01T00:00:00Z"
AUTHOR = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                      "code": "author", "display": "Author"}]}


def recorded(contribution: Contribution) -> str:
    dates = [str(r[k]) for r in contribution.resources for k in DATED if r.get(k)]
    latest = max(dates, default=EPOCH)
    return latest if "T" in latest else f"{latest[:10]}T00:00:00Z"


def provenance(plan_id: str, contribution: Contribution, namespace: str) -> JSON:
    used = [r for r in contribution.resources
            if r.get("resourceType") in ("CarePlan", "ServiceRequest", "QuestionnaireResponse")]
    return {
        "resourceType": "Provenance",
        "id": resource_id(namespace, plan_id, "Provenance", contribution.source),
        "meta": {"source": SOURCE},
        "target": [{"reference": f"CarePlan/{plan_id}"}], "recorded": recorded(contribution),
        "agent": [{"type": AUTHOR, "who": organization(contribution.organization)}],
        "entity": [{"role": "source",
                    "what": {"reference": f"{r['resourceType']}/{r['id']}"}} for r in used],
    }
