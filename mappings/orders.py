"""Requests and follow-ups: ServiceRequest and Task.

https://hl7.org/fhir/R4/servicerequest.html, https://hl7.org/fhir/R4/task.html. Referral
tasks follow BSeR / SDOH Clinical Care: the Task's focus is the ServiceRequest, its owner the
recipient, and `businessStatus` the program's own word for where the referral stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from mappings.datatypes import JSON, compact, concept, local_concept, period, text_concept
from mappings.origin import Origin

_FULFILL = {"system": "task-code", "code": "fulfill", "display": "Fulfill the focal request"}


def fulfill() -> JSON:
    return concept(_FULFILL)


def service_request(origin: Origin, discriminator: str, spec: Mapping[str, Any], *,
                    status: str, intent: str, text: str | None = None,
                    reason: str | None = None, **body: Any) -> JSON:
    """A request for a service; `spec` is the service's code-table entry (code, category,
    and the local reason where no standard code exists)."""
    reasons = [concept(spec["reason"])] if "reason" in spec else []
    fields: dict[str, Any] = {
        "status": status, "intent": intent, "subject": origin.patient,
        "category": [concept(spec["category"])] if "category" in spec else None,
        "code": concept(spec["code"], text=text),
        "reasonCode": reasons + ([text_concept(reason)] if reason else []),
    }
    return origin.resource("ServiceRequest", discriminator, **(fields | body))


def task(origin: Origin, discriminator: str, *, code: JSON, status: str, authored: date,
         description: str, **body: Any) -> JSON:
    fields: dict[str, Any] = {
        "status": status, "intent": "order", "code": code, "description": description,
        "for": origin.patient, "authoredOn": authored.isoformat(),
    }
    return origin.resource("Task", discriminator, **(fields | body))


def follow_up(code: str) -> JSON:
    return local_concept("follow-up-type", code)


def due_by(due: date) -> JSON:
    """Task.restriction: the date by which the task must be done."""
    return {"period": {"end": due.isoformat()}}


def execution(start: date | datetime, end: date | datetime | None = None) -> JSON:
    return period(start, end)


def timing(frequency: int, period_unit: str, minutes: int | None,
           start: date, end: date | None) -> JSON:
    """https://hl7.org/fhir/R4/datatypes.html#Timing: `frequency` sessions per period."""
    repeat = compact(boundsPeriod=period(start, end), frequency=frequency, period=1,
                     periodUnit=period_unit, duration=minutes,
                     durationUnit="min" if minutes else None)
    return {"repeat": repeat}
