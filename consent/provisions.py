"""FHIR R4 Consents compiled for fast, repeated matching (https://hl7.org/fhir/R4/consent.html).

Nested provisions are exceptions to their parent (`Consent.provision.provision`): they only
apply inside the parent's scope, and when one applies it overrides the parent for that request.
`compile_consents` takes the patient's Consents together with the rest of their record that
decisions need (RelatedPerson, Coverage, Patient, PractitionerRole: consent/record.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from consent.facts import ResourceFacts
from consent.provision import (
    Naming,
    Provision,
    ProvisionType,
    compile_provision,
    walk,
)
from consent.record import PatientRecord, patient_record
from consent.references import of, patient_of
from consent.requester import Action, Requester

__all__ = ["CompiledConsent", "ConsentSet", "Vote", "compile_consent", "compile_consents", "walk"]
PART2_LABELS = frozenset({"42CFRPart2", "SUD"})
STATUTE_MARKS = {"19a-14c": "mental-health", "17a-688": "substance-use"}
# Notes whose consent may not be combined with one for anything else.
SEPARATE_NOTES = (
    ("PSYTHPN", frozenset({"PSYTHPN", "HIPAAPsyNotes"}), "psychotherapy-note",
     "45 CFR 164.508(b)(3)(ii)"),
    ("SUDCNOTE", frozenset({"SUDCNOTE"}), "SUD counseling note", "42 CFR 2.31(b)"),
)


@dataclass(frozen=True)
class Vote:
    consent: CompiledConsent
    provision: Provision
    naming: Naming  # how closely the provisions that applied name the requester

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
    authorization: bool = False  # a HIPAA authorization or a Part 2 consent
    statutes: frozenset[str] = frozenset()  # the minor-consent kinds its policy names

    @property
    def signed_by_patient(self) -> bool:
        return self.patient is not None and self.patient in self.signers

    def skip_reason(self, patient: str | None, now: datetime) -> str | None:
        """Why this Consent cannot vote at all, or None when it can."""
        if self.status != "active":
            return f"{self.ref} is not active (status {self.status})"
        if not self.privacy:
            return f"{self.ref} is not a privacy consent (scope is not patient-privacy)"
        if self.patient is None:
            return f"{self.ref} names no patient, so it applies to no one (FHIR ppc-2)"
        if self.patient != patient:
            return f"{self.ref} is about {self.patient}, not {patient or 'an unknown patient'}"
        if self.root is not None and not self.root.in_force(now):
            return f"{self.ref} is outside its period ({_period_words(self.root)})"
        return None

    def permit_defect(self) -> str | None:
        """Why this Consent's permits are void though its denies still count, or None."""
        permits = [p for p in walk(self.root) if p.type == "permit"] if self.root else []
        if self.root is None or not permits:
            return None
        if self.authorization and (self.root.period is None or self.root.period.end is None):
            return (f"{self.ref} is an authorization with no expiry date, so it permits nothing "
                    "(45 CFR 164.508(c)(1)(v), 42 CFR 2.31(a))")
        for label, only, kind, law in SEPARATE_NOTES:
            covers = any(label in p.covered_labels for p in permits)
            if covers and not all(p.covered_labels and p.covered_labels <= only for p in permits):
                return (f"{self.ref} combines a {kind} consent with another, "
                        f"so it permits nothing ({law})")
        return None


def _period_words(root: Provision) -> str:
    period = root.period
    if period is None:
        return "no period"
    start = period.start.date().isoformat() if period.start else "open"
    end = period.end.isoformat() if period.end else "open"
    return f"from {start} until {end}"


@dataclass(frozen=True)
class ConsentSet:
    """The patient's Consents and record, compiled once and reused for every resource."""

    consents: tuple[CompiledConsent, ...]
    record: PatientRecord = field(default_factory=PatientRecord)
    # (patient, now) -> why each Consent cannot vote; a memo, not state: same inputs, same answer.
    _skips: dict[tuple[str | None, datetime], tuple[str | None, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _skip_reasons(self, patient: str | None, now: datetime) -> tuple[str | None, ...]:
        key = (patient, now)
        if key not in self._skips:
            self._skips[key] = tuple(c.skip_reason(patient, now) for c in self.consents)
        return self._skips[key]

    def usable(self, patient: str | None, now: datetime) -> tuple[CompiledConsent, ...]:
        pairs = zip(self.consents, self._skip_reasons(patient, now), strict=True)
        return tuple(c for c, skip in pairs if skip is None and c.root is not None)

    def votes(
        self, requester: Requester, action: Action, facts: ResourceFacts, now: datetime
    ) -> tuple[Vote, ...]:
        found: list[Vote] = []
        for consent in self.usable(facts.patient, now):
            assert consent.root is not None
            match = _Match(requester, action, facts, now, self.record)
            found.extend(match.evaluate(consent, consent.root, Naming.EVERYONE))
        return tuple(found)

    def skipped(self, patient: str | None, now: datetime) -> tuple[tuple[str, str], ...]:
        """(Consent ref, why) for each Consent that cannot vote, or whose permits are void."""
        pairs = zip(self.consents, self._skip_reasons(patient, now), strict=True)
        skipped = [(c.ref, why) for c, why in pairs if why is not None]
        void = [(c.ref, d) for c in self.usable(patient, now) if (d := c.permit_defect())]
        return tuple(skipped + void)

    def statutes(self, patient: str | None, now: datetime) -> frozenset[str]:
        """The kinds of care the patient consented to alone, by an active Consent's policy."""
        return frozenset(
            kind
            for c in self.consents
            if c.status == "active" and c.patient == patient and patient is not None
            for kind in c.statutes
        )


@dataclass(frozen=True)
class _Match:
    requester: Requester
    action: Action
    facts: ResourceFacts
    now: datetime
    record: PatientRecord

    def evaluate(self, consent: CompiledConsent, node: Provision, named: Naming) -> list[Vote]:
        """The votes of the deepest applicable provisions under (and including) `node`."""
        here = node.naming(self.requester, self.record)
        if here is None or not self._applies(node):
            return []
        named = max(named, here)
        exceptions = [
            vote for child in node.children for vote in self.evaluate(consent, child, named)
        ]
        if exceptions:
            return exceptions
        return [Vote(consent, node, named)] if node.type else []

    def _applies(self, node: Provision) -> bool:
        return (
            node.in_force(self.now)
            and node.matches_request(self.requester, self.action)
            and node.matches_resource(self.facts)
        )


def _codes(items: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(c["code"] for c in items if "code" in c)


def _statutes(consent: Mapping[str, Any]) -> frozenset[str]:
    uris = [str(p.get("uri", "")) for p in consent.get("policy", ())]
    return frozenset(kind for mark, kind in STATUTE_MARKS.items() if any(mark in u for u in uris))


def _is_authorization(consent: Mapping[str, Any], root: Provision | None) -> bool:
    rule = _codes(consent.get("policyRule", {}).get("coding", ()))
    part2 = root is not None and any(not PART2_LABELS.isdisjoint(p.labels) for p in walk(root))
    return "hipaa-auth" in rule or part2


def compile_consent(consent: Mapping[str, Any]) -> CompiledConsent:
    node = consent.get("provision")
    root = compile_provision(node, "provision") if node else None
    scope = _codes(consent.get("scope", {}).get("coding", ()))
    return CompiledConsent(
        ref=f"Consent/{consent.get('id')}",
        status=str(consent.get("status")),
        patient=patient_of(consent.get("patient")),
        privacy="patient-privacy" in scope,
        signers=frozenset(
            ref for p in consent.get("performer", ()) if (ref := of(p)) is not None
        ),
        root=root,
        authorization=_is_authorization(consent, root),
        statutes=_statutes(consent),
    )


def compile_consents(consents: Sequence[Mapping[str, Any]] | ConsentSet) -> ConsentSet:
    if isinstance(consents, ConsentSet):
        return consents
    found = tuple(compile_consent(c) for c in consents if c.get("resourceType") == "Consent")
    return ConsentSet(found, patient_record(consents))
