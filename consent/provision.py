"""One Consent provision, compiled (https://hl7.org/fhir/R4/consent-definitions.html#Consent.provision).

A provision applies when every criterion it states holds; unstated criteria match anything.
Only an actor whose role is a recipient role grants access; a deny reaches every actor it names,
whatever the role, because a refusal fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any, Literal

from consent import codes
from consent.dates import Period
from consent.facts import ResourceFacts
from consent.record import PatientRecord
from consent.references import of
from consent.requester import Action, Requester

ProvisionType = Literal["permit", "deny"]
# Which consentaction codes (https://hl7.org/fhir/R4/codesystem-consent-action.html) cover a
# request: reading data is access to it, and from the patient's side a disclosure of it.
ACTION_CODES: dict[str, frozenset[str]] = {
    "read": frozenset({"access", "use", "disclose"}),
    "search": frozenset({"access", "use", "disclose"}),
    "create": frozenset({"collect"}),
    "update": frozenset({"correct", "collect"}),
}
# v3-ParticipationType roles that make an actor a recipient: information recipient, primary
# information recipient, receiver. A custodian (CST) or an informant (INF) receives nothing.
RECIPIENT_ROLES = frozenset({"IRCP", "PRCP", "RCV"})


class Naming(IntEnum):
    """How closely a provision's actors name the requester."""

    EVERYONE = 0  # no actor stated
    TEAM = 1  # a CareTeam the requester is on
    ORGANIZATION = 2  # the requester's organization
    PERSON = 3  # the requester, or their PractitionerRole


def naming(refs: frozenset[str], requester: Requester, record: PatientRecord) -> Naming | None:
    """The closest way `refs` names the requester, or None if they do not."""
    best: Naming | None = None
    for ref in refs:
        found = _names(ref, requester, record)
        if found is not None and (best is None or found > best):
            best = found
    return best


def _names(ref: str, requester: Requester, record: PatientRecord) -> Naming | None:
    if ref == requester.who:
        return Naming.PERSON
    if ref.startswith("PractitionerRole/"):
        held = record.role_of(ref)
        return Naming.PERSON if held == (requester.who, requester.organization) else None
    if ref == requester.organization:
        return Naming.ORGANIZATION
    return Naming.TEAM if ref in requester.team_references else None


@dataclass(frozen=True)
class Provision:
    path: str
    type: ProvisionType | None
    actors: frozenset[str]
    recipients: frozenset[str]  # the actors whose role is a recipient role
    actions: frozenset[str]
    purposes: frozenset[str]
    labels: frozenset[str]
    classes: frozenset[str]
    codes: frozenset[tuple[str, str]]
    data: frozenset[str]
    period: Period | None
    data_period: Period | None
    covered_labels: frozenset[str]  # this provision's securityLabel plus its ancestors'
    children: tuple[Provision, ...]

    def naming(self, requester: Requester, record: PatientRecord) -> Naming | None:
        if not self.actors:
            return Naming.EVERYONE
        return naming(self.actors if self.type == "deny" else self.recipients, requester, record)

    def matches_request(self, requester: Requester, action: Action) -> bool:
        return (not self.actions or not self.actions.isdisjoint(ACTION_CODES[action])) and (
            not self.purposes or requester.purpose in self.purposes
        )

    def matches_resource(self, facts: ResourceFacts) -> bool:
        return (
            (not self.labels or not self.labels.isdisjoint(facts.labels))
            and (not self.classes or facts.resource_type in self.classes)
            and (not self.data or facts.reference in self.data)
            and (not self.codes or not self.codes.isdisjoint(facts.codings))
            and self._in_data_period(facts)
        )

    def _in_data_period(self, facts: ResourceFacts) -> bool:
        if self.data_period is None:
            return True
        when = facts.data_date
        if when is None:  # an undated resource: a deny still applies, a permit does not
            return self.type == "deny"
        return self.data_period.contains(when)

    def in_force(self, now: datetime) -> bool:
        return self.period is None or self.period.contains(now)


def _codes(items: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(c["code"] for c in items if "code" in c)


def _concept_codes(concepts: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(code for cc in concepts for code in _codes(cc.get("coding", ())))


def _concept_pairs(concepts: Iterable[Mapping[str, Any]]) -> frozenset[tuple[str, str]]:
    codings = (c for cc in concepts for c in cc.get("coding", ()))
    return frozenset((c.get("system", ""), c["code"]) for c in codings if "code" in c)


def _references(items: Iterable[Mapping[str, Any]], key: str) -> frozenset[str]:
    return frozenset(ref for item in items if (ref := of(item.get(key))) is not None)


def _recipients(actors: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    granting = (a for a in actors if not _concept_codes([a.get("role", {})]).isdisjoint(
        RECIPIENT_ROLES))
    return _references(granting, "reference")


def _classes(items: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Resource-type classes; other class systems (e.g. MIME types) name no FHIR resource."""
    return frozenset(
        c["code"] for c in items if c.get("system", codes.RESOURCE_TYPES) == codes.RESOURCE_TYPES
    )


def compile_provision(
    node: Mapping[str, Any], path: str, inherited: frozenset[str] = frozenset()
) -> Provision:
    labels = _codes(node.get("securityLabel", ()))
    covered = inherited | labels
    children = tuple(
        compile_provision(child, f"{path}.provision[{i}]", covered)
        for i, child in enumerate(node.get("provision", ()))
    )
    actors = node.get("actor", ())
    return Provision(
        path=path,
        type=node.get("type"),
        actors=_references(actors, "reference"),
        recipients=_recipients(actors),
        actions=_concept_codes(node.get("action", ())),
        purposes=_codes(node.get("purpose", ())),
        labels=labels,
        classes=_classes(node.get("class", ())),
        codes=_concept_pairs(node.get("code", ())),
        data=_references(node.get("data", ()), "reference"),
        period=Period.parse(node.get("period")),
        data_period=Period.parse(node.get("dataPeriod")),
        covered_labels=covered,
        children=children,
    )


def walk(provision: Provision) -> Iterator[Provision]:
    yield provision
    for child in provision.children:
        yield from walk(child)
