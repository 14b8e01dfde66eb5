"""The child's one care team: every program's team merged, each member once.

A member is the same member when the reference is the same, or, for a member known by name
only, when the name and the organization they act for are the same.
https://hl7.org/fhir/R4/careteam.html
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared_plan.contribution import SOURCE, Child, Contribution

JSON = dict[str, Any]


def _who(participant: JSON) -> str:
    member = participant.get("member", {})
    if member.get("reference"):
        return str(member["reference"])
    return json.dumps([member.get("display"), participant.get("onBehalfOf")], sort_keys=True)


def care_team(child: Child, contributions: Sequence[Contribution], team_id: str,
              managing: JSON | None) -> JSON:
    members: dict[str, JSON] = {}
    for contribution in contributions:
        for theirs in contribution.of_type("CareTeam"):
            for participant in theirs.get("participant", ()):
                members.setdefault(_who(participant), participant)
    team: JSON = {"resourceType": "CareTeam", "id": team_id,
                  "meta": {"source": SOURCE},
                  "status": "active", "name": "Shared care team", "subject": child.patient,
                  "participant": [members[k] for k in sorted(members)]}
    if managing:
        team["managingOrganization"] = [managing]
    if not team["participant"]:
        del team["participant"]
    return team
