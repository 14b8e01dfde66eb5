"""FHIR R4 Consents compiled for fast, repeated matching (https://hl7.org/fhir/R4/consent.html).

A provision applies when every criterion it states holds; unstated criteria match anything.
Nested provisions are exceptions to their parent (`Consent.provision.provision`): they only
apply inside the parent's scope, and when one applies it overrides the parent for that request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from consent import codes
from consent.dates import Period
from consent.facts import ResourceFacts
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


@dataclass(frozen=True)
class Provision:
    path: str
    type: ProvisionType | None
    actors: frozenset[str]
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

    def matches(self, requester: Requester, action: Action, facts: ResourceFacts) -> bool:
        return self.matches_request(requester, action) and self.matches_resource(facts)

    def matches_request(self, requester: Requester, action: Action) -> bool:
        return (
            (not self.actors or not self.actors.isdisjoint(requester.references))
            and (not self.actions or not self.actions.isdisjoint(ACTION_CODES[action]))
            and (not self.purposes or requester.purpose in self.purposes)
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


@dataclass(frozen=True)
class Vote:
    consent: CompiledConsent
    provision: Provision

    @property
    def effect(self) -> ProvisionType:
        assert self.provision.type is not None
        return self.provision.type


@dataclass(frozen=True)
class CompiledConsent:
    ref: str
    status: str
    patient: str | None
    privacy: bool
    signers: frozenset[str]
    root: Provision | None

    @property
    def signed_by_patient(self) -> bool:
        return self.patient is not None and self.patient in self.signers

    @property
    def signed_by_guardian(self) -> bool:
        return any(s.startswith("RelatedPerson/") for s in self.signers)

    def skip_reason(self, patient: str | None, now: datetime) -> str | None:
        """Why this Consent cannot vote at all, or None when it can."""
        if self.status != "active":
            return f"{self.ref} is not active (status {self.status})"
        if not self.privacy:
            return f"{self.ref} is not a privacy consent (scope is not patient-privacy)"
        if patient is not None and self.patient not in (None, patient):
            return f"{self.ref} is about {self.patient}, not {patient}"
        if self.root is not None and not self.root.in_force(now):
            return f"{self.ref} is outside its period ({_period_words(self.root.period)})"
        return None


def _period_words(period: Period | None) -> str:
    if period is None:
        return "no period"
    start = period.start.date().isoformat() if period.start else "open"
    end = period.end.isoformat() if period.end else "open"
    return f"from {start} until {end}"


@dataclass(frozen=True)
class ConsentSet:
    """The patient's Consents, compiled once and reused for every resource of a request."""

    consents: tuple[CompiledConsent, ...]
    # (patient, now) -> why each Consent cannot vote; a memo, not state: same inputs, same answer.
    _skips: dict[tuple[str | None, datetime], tuple[str | None, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _skip_reasons(self, patient: str | None, now: datetime) -> tuple[str | None, ...]:
        key = (patient, now)
        if key not in self._skips:
            self._skips[key] = tuple(c.skip_reason(patient, now) for c in self.consents)
        return self._skips[key]

    def votes(
        self, requester: Requester, action: Action, facts: ResourceFacts, now: datetime
    ) -> tuple[Vote, ...]:
        found: list[Vote] = []
        skips = self._skip_reasons(facts.patient, now)
        for consent, skip in zip(self.consents, skips, strict=True):
            if consent.root is not None and skip is None:
                found.extend(_evaluate(consent, consent.root, requester, action, facts, now))
        return tuple(found)

    def skipped(self, patient: str | None, now: datetime) -> tuple[tuple[str, str], ...]:
        """(Consent ref, why) for each Consent that cannot vote."""
        pairs = zip(self.consents, self._skip_reasons(patient, now), strict=True)
        return tuple((c.ref, why) for c, why in pairs if why is not None)


def _evaluate(
    consent: CompiledConsent,
    provision: Provision,
    requester: Requester,
    action: Action,
    facts: ResourceFacts,
    now: datetime,
) -> list[Vote]:
    """The votes of the deepest applicable provisions under (and including) `provision`."""
    if not (provision.in_force(now) and provision.matches(requester, action, facts)):
        return []
    exceptions = [
        vote
        for child in provision.children
        for vote in _evaluate(consent, child, requester, action, facts, now)
    ]
    if exceptions:
        return exceptions
    return [Vote(consent, provision)] if provision.type else []


def _codes(items: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(c["code"] for c in items if "code" in c)


def _concept_codes(concepts: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(code for cc in concepts for code in _codes(cc.get("coding", ())))


def _concept_pairs(concepts: Iterable[Mapping[str, Any]]) -> frozenset[tuple[str, str]]:
    codings = (c for cc in concepts for c in cc.get("coding", ()))
    return frozenset((c.get("system", ""), c["code"]) for c in codings if "code" in c)


def _references(items: Iterable[Mapping[str, Any]], key: str) -> frozenset[str]:
    refs = (item.get(key, {}).get("reference") for item in items)
    return frozenset(ref for ref in refs if isinstance(ref, str))


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
    return Provision(
        path=path,
        type=node.get("type"),
        actors=_references(node.get("actor", ()), "reference"),
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


def _is_privacy(consent: Mapping[str, Any]) -> bool:
    return "patient-privacy" in _codes(consent.get("scope", {}).get("coding", ()))


def compile_consent(consent: Mapping[str, Any]) -> CompiledConsent:
    root = consent.get("provision")
    return CompiledConsent(
        ref=f"Consent/{consent.get('id')}",
        status=str(consent.get("status")),
        patient=consent.get("patient", {}).get("reference"),
        privacy=_is_privacy(consent),
        signers=frozenset(
            ref for ref in (p.get("reference") for p in consent.get("performer", ())) if ref
        ),
        root=compile_provision(root, "provision") if root else None,
    )


def compile_consents(consents: Sequence[Mapping[str, Any]] | ConsentSet) -> ConsentSet:
    if isinstance(consents, ConsentSet):
        return consents
    return ConsentSet(tuple(compile_consent(c) for c in consents))


def walk(provision: Provision) -> Iterator[Provision]:
    yield provision
    for child in provision.children:
        yield from walk(child)
