"""Hypothesis strategies: random Consents (nested provisions), requesters, labelled resources.

Consents are generated as small specs that render to FHIR R4 Consent JSON, so the property
tests can reason about them independently of the engine's compiled form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from hypothesis import strategies as st

from consent import codes
from consent.requester import Emergency, Membership, Requester
from tests.consent.builders import GUARDIAN, HIPAA_AUTH, NOW, PRIVACY, RECORD, ROI, YEAR, actor

PATIENT = "Patient/grace-okafor"
TEAM = "CareTeam/grace-okafor-team"
ACTORS = (
    "Organization/capitol-peds",
    "Organization/riverside-bh",
    "Organization/harbor-sud",
    "Organization/ccmc-ed",
    "RelatedPerson/david-okafor",
    TEAM,
)
PURPOSES = ("TREAT", "ETREAT", "HPAYMT", "FAMRQT", "CAREMGT")
SENSITIVITY = ("MH", "SUD", "42CFRPart2", "ADOL", "PSYTHPN", "FERPA", "HIV", "ETH")
TYPES = ("Observation", "CarePlan", "DocumentReference")
PEOPLE = (
    ("Practitioner/ana-whitfield", "capitol-peds", "pcp"),
    ("Practitioner/marcus-lee", "riverside-bh", "therapist"),
    ("Practitioner/jordan-blake", "harbor-sud", "counselor"),
    ("Practitioner/ccmc-ed-attending", "ccmc-ed", "emergency-physician"),
    ("Practitioner/capitol-peds-billing", "capitol-peds", "billing"),
    ("RelatedPerson/david-okafor", None, "parent"),
)
PERIODS = {
    None: YEAR,
    "current": {"start": "2026-01-01", "end": "2027-01-01"},
    "expired": {"start": "2025-01-01", "end": "2026-08-01"},
    "future": {"start": "2026-10-01"},
}
CLINICIANS = {"pcp", "emergency-physician", "therapist", "counselor"}


@dataclass(frozen=True)
class ProvisionSpec:
    type: Literal["permit", "deny"] | None
    actors: tuple[str, ...]
    purposes: tuple[str, ...]
    labels: tuple[str, ...]
    classes: tuple[str, ...]
    children: tuple[ProvisionSpec, ...]

    def fhir(self) -> dict[str, Any]:
        node: dict[str, Any] = {"type": self.type} if self.type else {}
        if self.actors:
            node["actor"] = [actor(a) for a in self.actors]
        if self.purposes:
            node["purpose"] = [{"system": codes.ACT_REASON, "code": p} for p in self.purposes]
        if self.labels:
            node["securityLabel"] = [codes.label_coding(code) for code in self.labels]
        if self.classes:
            node["class"] = [{"system": codes.RESOURCE_TYPES, "code": c} for c in self.classes]
        if self.children:
            node["provision"] = [child.fhir() for child in self.children]
        return node


@dataclass(frozen=True)
class ConsentSpec:
    id: str
    status: str
    period: str | None
    signer: str
    root: ProvisionSpec

    @property
    def usable(self) -> bool:
        """Active and in force on 2026-09-01 (the pinned clock)."""
        return self.status == "active" and self.period in (None, "current")

    def fhir(self) -> dict[str, Any]:
        root = self.root.fhir()
        if PERIODS[self.period]:
            root["period"] = PERIODS[self.period]
        return {
            "resourceType": "Consent",
            "id": self.id,
            "status": self.status,
            "scope": PRIVACY,
            "category": ROI,
            "patient": {"reference": PATIENT},
            "performer": [{"reference": self.signer}],
            "policyRule": HIPAA_AUTH,
            "provision": root,
        }


class _Bytes:
    """Reads choices from hypothesis-drawn bytes; past the end every choice is 0 (the simplest)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        self.at += 1
        return self.data[self.at - 1] if self.at <= len(self.data) else 0

    def pick(self, items: tuple[Any, ...]) -> Any:
        return items[self.byte() % len(items)]

    def subset(self, items: tuple[str, ...]) -> tuple[str, ...]:
        """Usually empty (matches anything), else one or two items: enough provisions apply."""
        first, second = self.byte(), self.byte()
        chosen = [items[b // 8 % len(items)] for b in (first, second) if b % 8 == 1]
        return tuple(dict.fromkeys(chosen))


def _provision(read: _Bytes, depth: int, kind: Literal["permit", "deny"] | None) -> ProvisionSpec:
    """A provision of type `kind` whose children are exceptions of the opposite type."""
    opposite: Literal["permit", "deny"] = "deny" if kind == "permit" else "permit"
    fields = (ACTORS, PURPOSES, ("N", "R", *SENSITIVITY), TYPES)
    actors, purposes, labels, classes = (read.subset(items) for items in fields)
    count = read.byte() % 3 if depth > 0 else 0
    children = tuple(_provision(read, depth - 1, opposite) for _ in range(count))
    return ProvisionSpec(kind, actors, purposes, labels, classes, children)


def _consent(read: _Bytes, index: int) -> ConsentSpec:
    return ConsentSpec(
        id=f"c{index}",
        status=read.pick(("active", "inactive", "active", "draft", "active", "active")),
        period=read.pick((None, "current", "expired", None, "current", "future")),
        signer=read.pick((PATIENT, GUARDIAN)),
        root=_provision(read, 2, read.pick(("permit", "deny", None))),
    )


def decode_consents(data: bytes) -> list[ConsentSpec]:
    read = _Bytes(data)
    return [_consent(read, i) for i in range(read.byte() % 5)]


def consent_lists() -> st.SearchStrategy[list[ConsentSpec]]:
    """Up to four Consents, each up to three levels of nested provisions."""
    return st.binary(min_size=200, max_size=240).map(decode_consents)


@st.composite
def requesters(draw: st.DrawFn) -> Requester:
    who, org, role = draw(st.sampled_from(PEOPLE))
    on_team = draw(st.booleans())
    declared = draw(st.booleans())
    return Requester(
        emergency=Emergency(PATIENT, "overdose", NOW + timedelta(hours=1)) if declared else None,
        who=who,
        role=role,
        purpose=draw(st.sampled_from(PURPOSES)),
        organization=f"Organization/{org}" if org else None,
        care_teams=frozenset({Membership(TEAM, PATIENT)}) if on_team else frozenset(),
    )


@st.composite
def resources(draw: st.DrawFn) -> dict[str, Any]:
    confidentiality = draw(st.sampled_from(["N", "N", "R", "V", None]))
    labels = [confidentiality] if confidentiality else []
    labels += draw(st.lists(st.sampled_from(SENSITIVITY), max_size=3, unique=True))
    meta: dict[str, Any] = {"security": [codes.label_coding(code) for code in labels]}
    source = draw(st.sampled_from([None, "capitol-peds", "harbor-sud", "b23-hartford"]))
    if source:
        meta["source"] = codes.program_source(source)
    return {
        "resourceType": draw(st.sampled_from(TYPES)),
        "id": "r1",
        "meta": meta,
        "subject": {"reference": PATIENT},
    }


def resource_labels(resource: dict[str, Any]) -> set[str]:
    return {coding["code"] for coding in resource["meta"]["security"]}


def applies(p: ProvisionSpec, requester: Requester, resource: dict[str, Any]) -> bool:
    return (
        (not p.actors or bool(set(p.actors) & requester.references))
        and (not p.purposes or requester.purpose in p.purposes)
        and (not p.labels or bool(set(p.labels) & resource_labels(resource)))
        and (not p.classes or resource["resourceType"] in p.classes)
    )


def deciding(
    p: ProvisionSpec, requester: Requester, resource: dict[str, Any]
) -> list[ProvisionSpec]:
    """The provisions that speak for a Consent: the deepest applicable ones with a type."""
    if not applies(p, requester, resource):
        return []
    below = [d for child in p.children for d in deciding(child, requester, resource)]
    return below or ([p] if p.type else [])


def self_consented(resource: dict[str, Any]) -> bool:
    """Care Grace (16 on the pinned clock) consented to alone, as far as its labels tell."""
    labels = resource_labels(resource)
    minor_care = {"MH", "PSY", "BH", "PSYTHPN", "SUD", "ETH", "42CFRPart2"}
    return bool(
        ("ADOL" in labels and labels & minor_care)
        or "42CFRPart2" in labels
        or labels & {"STD", "HIV", "SEX"}
    )


def signature_counts(spec: ConsentSpec, resource: dict[str, Any]) -> bool:
    """Only the minor signs for her own care, only her guardian for the rest."""
    return spec.signer == (PATIENT if self_consented(resource) else GUARDIAN)


def with_record(specs: list[ConsentSpec]) -> list[dict[str, Any]]:
    return [*(s.fhir() for s in specs), *RECORD]
