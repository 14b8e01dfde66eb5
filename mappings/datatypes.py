"""Builders for FHIR data types (https://hl7.org/fhir/R4/datatypes.html) as JSON dicts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from consent import codes
from mappings import systems
from mappings.tables import common
from vocabulary.fhir import JSON as JSON


def compact(**fields: Any) -> JSON:
    """A JSON object without its None and empty fields (FHIR forbids empty elements)."""
    return {k: v for k, v in fields.items() if v is not None and v != [] and v != {}}


def coding(spec: Mapping[str, Any]) -> JSON:
    """A Coding from a code-table entry `{"system": alias, "code": ..., "display"?: ...}`.

    Local codes take their display from the CodeSystem file in `profiles/`.
    """
    alias = spec["system"]
    display = spec.get("display")
    if display is None and alias.startswith(systems.LOCAL_PREFIX):
        display = systems.local_displays(alias.removeprefix(systems.LOCAL_PREFIX))[spec["code"]]
    return compact(system=systems.system_uri(alias), code=spec["code"], display=display)


def local(key: str, code: str) -> JSON:
    return coding({"system": systems.LOCAL_PREFIX + key, "code": code})


def concept(*specs: Mapping[str, Any], text: str | None = None) -> JSON:
    return compact(coding=[coding(s) for s in specs], text=text)


def local_concept(key: str, code: str, text: str | None = None) -> JSON:
    return compact(coding=[local(key, code)], text=text)


def text_concept(text: str) -> JSON:
    return {"text": text}


def reference(resource_type: str, resource_id: str, display: str | None = None) -> JSON:
    return compact(reference=f"{resource_type}/{resource_id}", display=display)


def organization(key: str) -> JSON:
    """A reference to a CAST organization, by its shared id and, where it has one, its NPI.

    Organizations are shared resources written once, never from per-patient records
    (DESIGN.md); consent provisions match actors on the same `Organization/<key>` reference.
    """
    npi = common("npi")[key]
    return compact(reference=codes.organization_reference(key), type="Organization",
                   identifier={"system": systems.NPI, "value": npi} if npi else None,
                   display=codes.ORGANIZATION_NAMES[key])


def person(name: str, resource_type: str = "Practitioner") -> JSON:
    """A display-only reference to a person OnePlan holds no resource for."""
    return {"type": resource_type, "display": name}


def agency(key: str | None, name: str | None) -> JSON | None:
    """Who provides a service: a CAST organization by key, else an organization known only by
    name, else nobody."""
    if key:
        return organization(key)
    return person(name, "Organization") if name else None


def fhir_date(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def period(start: date | datetime | None, end: date | datetime | None = None) -> JSON:
    return compact(start=fhir_date(start), end=fhir_date(end))


def quantity(value: float, unit: str, comparator: str | None = None) -> JSON:
    """A UCUM Quantity from a key of the `units` table."""
    spec = common("units")[unit]
    return compact(value=value, comparator=comparator, unit=spec["unit"],
                   system=systems.UCUM, code=spec["code"])


def annotation(text: str, time: date | datetime | None = None) -> JSON:
    return compact(text=text, time=fhir_date(time))


def human_name(given: str, family: str) -> JSON:
    return {"family": family, "given": [given]}

