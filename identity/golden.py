"""The golden Patient of one child, built from its MATCH sources by survivorship rules.

Sources are ranked by the highest-priority identifier system they carry (HUSKY, then practice
MRNs, then program record ids; see rules.yaml), then by source key. Each field takes the value
most sources agree on, ties going to the best-ranked source that holds it:

- name (given and family as written) and birthDate: the most common;
- gender: the most common known one (male, female, other), else "unknown";
- communication: the most common preferred language;
- interpreterRequired: true if any source says so;
- identifier: the union of the sources' identifiers (system, value, type), deduplicated;
- link: "seealso" to every source Patient, which is never changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from consent.codes import ONEPLAN_BASE
from identity.demographics import Demographics
from identity.rules import Rules, load
from mappings.systems import BCP47

IDENTITY_SYSTEM = f"{ONEPLAN_BASE}/CodeSystem/oneplan-identity"
GOLDEN_TAG = {"system": IDENTITY_SYSTEM, "code": "golden-record", "display": "Golden record"}
INTERPRETER = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
T = TypeVar("T")
Member = tuple[Demographics, dict[str, Any]]


def _rank(member: Member, rules: Rules) -> tuple[int, str]:
    order = rules.identifier_systems
    best = min((order.index(s) for s, _ in member[0].identifiers if s in order), default=len(order))
    return best, member[0].source


def _vote(ranked: Sequence[Member], pick: Callable[[Member], T | None]) -> T | None:
    """The value most members give; ties to the best-ranked member giving it."""
    values = [v for m in ranked if (v := pick(m)) is not None]
    if not values:
        return None
    counts = Counter(values)
    return max(values, key=lambda v: (counts[v], -values.index(v)))


def _identifiers(ranked: Sequence[Member], rules: Rules) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for _, patient in ranked:
        for ident in patient.get("identifier") or []:
            key = (str(ident.get("system", "")), str(ident.get("value", "")))
            if all(key) and key not in seen:
                seen[key] = {k: ident[k] for k in ("type", "system", "value") if k in ident}
    order = rules.identifier_systems

    def place(key: tuple[str, str]) -> tuple[int, str, str]:
        return (order.index(key[0]) if key[0] in order else len(order), *key)

    return [seen[k] for k in sorted(seen, key=place)]


def _name(member: Member) -> tuple[str, str] | None:
    d = member[0]
    return (d.given, d.family) if d.given or d.family else None


def golden_patient(golden: str, members: Sequence[Member],
                   rules: Rules | None = None) -> dict[str, Any]:
    rules = rules or load()
    ranked = sorted(members, key=lambda m: _rank(m, rules))
    patient: dict[str, Any] = {"resourceType": "Patient", "id": golden,
                               "meta": {"tag": [GOLDEN_TAG]}}
    if any(e.get("url") == INTERPRETER and e.get("valueBoolean") is True
           for _, p in ranked for e in p.get("extension") or []):
        patient["extension"] = [{"url": INTERPRETER, "valueBoolean": True}]
    identifiers = _identifiers(ranked, rules)
    if identifiers:
        patient["identifier"] = identifiers
    patient["active"] = True
    name = _vote(ranked, _name)
    if name:
        given, family = name
        patient["name"] = [{k: v for k, v in
                            (("family", family), ("given", given.split())) if v}]
    known = {"male", "female", "other"}
    patient["gender"] = _vote(ranked, lambda m: m[0].sex if m[0].sex in known else None) \
        or "unknown"
    birth = _vote(ranked, lambda m: m[0].birth_date or None)
    if birth:
        patient["birthDate"] = birth
    language = _vote(ranked, lambda m: m[0].language)
    if language:
        patient["communication"] = [{"language": {"coding": [{"system": BCP47,
                                                               "code": language}]},
                                     "preferred": True}]
    patient["link"] = [{"other": {"reference": m[0].source}, "type": "seealso"}
                       for m in sorted(ranked, key=lambda m: m[0].source)]
    return patient
