"""Code and identifier system URIs.

OnePlan's own systems are defined once, as NamingSystem and CodeSystem files in `profiles/`;
this module reads their URIs by key so there is a single source of truth. Standard systems
(https://hl7.org/fhir/R4/terminologies-systems.html) are named here by short alias so the code
tables beside each mapping can say `"sct"` rather than repeat URIs.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from consent import codes as security
from vocabulary.data import PROFILES

SNOMED = "http://snomed.info/sct"
NPI = "http://hl7.org/fhir/sid/us-npi"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"

STANDARD: dict[str, str] = {
    "sct": SNOMED,
    "loinc": "http://loinc.org",
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "ucum": UCUM,
    "bcp47": BCP47,
    "npi": NPI,
    "us-core-careplan-category": "http://hl7.org/fhir/us/core/CodeSystem/careplan-category",
    "us-core-condition-category": "http://hl7.org/fhir/us/core/CodeSystem/condition-category",
    "condition-category": "http://terminology.hl7.org/CodeSystem/condition-category",
    "condition-clinical": "http://terminology.hl7.org/CodeSystem/condition-clinical",
    "condition-ver-status": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
    "goal-achievement": "http://terminology.hl7.org/CodeSystem/goal-achievement",
    "task-code": "http://hl7.org/fhir/CodeSystem/task-code",
    "consentscope": "http://terminology.hl7.org/CodeSystem/consentscope",
    "consentpolicycodes": "http://terminology.hl7.org/CodeSystem/consentpolicycodes",
    "consentaction": "http://terminology.hl7.org/CodeSystem/consentaction",
    "v3-participationtype": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
    "v3-rolecode": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
    "v3-confidentiality": security.CONFIDENTIALITY,
    "v3-actcode": security.ACT_CODE,
    "v3-actreason": security.ACT_REASON,
    "oneplan-security": security.ONEPLAN_SECURITY,
}
LOCAL_PREFIX = "local:"


@cache
def _profile(kind: str, key: str) -> dict[str, Any]:
    path = PROFILES / f"{kind.lower()}s" / f"{kind}-{key}.json"
    if not path.is_file():
        raise KeyError(f"no {kind} {key!r} in profiles/")
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def identifier_system(key: str) -> str:
    """The preferred URI of `profiles/namingsystems/NamingSystem-<key>.json`."""
    unique_ids = _profile("NamingSystem", key)["uniqueId"]
    return str(next(u["value"] for u in unique_ids if u["type"] == "uri" and u.get("preferred")))


def code_system(key: str) -> str:
    """The canonical URL of `profiles/codesystems/CodeSystem-<key>.json`."""
    return str(_profile("CodeSystem", key)["url"])


@cache
def local_displays(key: str) -> dict[str, str]:
    return {c["code"]: c["display"] for c in _profile("CodeSystem", key)["concept"]}


def system_uri(alias: str) -> str:
    """A table's system alias: a standard short name, or `local:<CodeSystem key>`."""
    if alias.startswith(LOCAL_PREFIX):
        return code_system(alias.removeprefix(LOCAL_PREFIX))
    return STANDARD[alias]
