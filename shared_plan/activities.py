"""The shared plan's activities: every program's services, equal ones as one.

Two ServiceRequests are the same service when they share a code and a performer (its
reference, else its display) and their periods overlap. Each activity keeps every
contributor's request in the `contributor` extension, since redaction per reader needs each
reference. When the requests of one service disagree on frequency or status, that is a
conflict for the lead coordinator, never resolved here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from consent.codes import ONEPLAN_BASE
from shared_plan.contribution import Contribution, organization

JSON = dict[str, Any]
CONTRIBUTOR = f"{ONEPLAN_BASE}/StructureDefinition/shared-plan-contributor"
OPEN = ("active", "draft", "on-hold")
ACTIVITY_STATUS = {"active": "in-progress", "draft": "not-started", "on-hold": "on-hold"}
FOREVER = "9999-12-31"


@dataclass(frozen=True)
class Request:
    organization: str
    resource: JSON

    @property
    def url(self) -> str:
        return f"ServiceRequest/{self.resource['id']}"

    @property
    def kind(self) -> tuple[str, str]:
        code = self.resource.get("code", {})
        coded = sorted(c.get("code", "") for c in code.get("coding", ()) if c.get("code"))
        performer = (self.resource.get("performer") or [{}])[0]
        who = performer.get("reference") or performer.get("display") or ""
        return (coded[0] if coded else code.get("text", "")).lower(), who.lower()

    @property
    def period(self) -> tuple[str, str]:
        r = self.resource
        found = r.get("occurrencePeriod") or r.get("occurrenceTiming", {}).get(
            "repeat", {}).get("boundsPeriod") or {}
        start = str(found.get("start") or r.get("authoredOn") or "")[:10]
        return start, str(found.get("end") or FOREVER)[:10]

    @property
    def frequency(self) -> str:
        timing = self.resource.get("occurrenceTiming")
        if not timing:
            return ""
        repeat = {k: v for k, v in timing.get("repeat", {}).items() if k != "boundsPeriod"}
        return json.dumps({"repeat": repeat, "code": timing.get("code", {}).get("text")},
                          sort_keys=True)

    @property
    def status(self) -> str:
        return str(self.resource.get("status", "unknown"))


def requests(contributions: Sequence[Contribution]) -> list[Request]:
    found = [Request(c.organization, r) for c in contributions
             for r in c.of_type("ServiceRequest")]
    return sorted(found, key=lambda r: (r.period, r.url))


def services(contributions: Sequence[Contribution]) -> list[list[Request]]:
    """The requests grouped by service, each group in (period, id) order."""
    by_kind: defaultdict[tuple[str, str], list[Request]] = defaultdict(list)
    for request in requests(contributions):
        by_kind[request.kind].append(request)
    groups: list[list[Request]] = []
    for kind in sorted(by_kind):
        current: list[Request] = []
        for request in by_kind[kind]:
            if current and request.period[0] > max(r.period[1] for r in current):
                groups.append(current)
                current = []
            current.append(request)
        groups.append(current)
    return groups


def activity(group: Sequence[Request]) -> JSON | None:
    """One activity for a service any contributor still asks for, else None."""
    open_ = [r for r in group if r.status in OPEN]
    if not open_:
        return None
    lead = open_[0]
    code = lead.resource.get("code", {})
    display = code.get("text") or next((c.get("display") for c in code.get("coding", ())), None)
    reference = {"reference": lead.url, **({"display": display} if display else {})}
    return {"extension": [_contributor(r) for r in group], "reference": reference}


def _contributor(request: Request) -> JSON:
    return {"url": CONTRIBUTOR, "extension": [
        {"url": "organization", "valueReference": organization(request.organization)},
        {"url": "request", "valueReference": {"reference": request.url}}]}


def disagreement(group: Sequence[Request]) -> str | None:
    """What the requests of one service disagree on, if anything."""
    if len({r.organization for r in group}) < 2:
        return None
    if len({r.frequency for r in group if r.frequency}) > 1:
        return "frequency"
    statuses = {r.status for r in group}
    if statuses & set(OPEN) and statuses - set(OPEN):
        return "status"
    return None
