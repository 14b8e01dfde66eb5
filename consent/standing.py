"""The requester's standing towards one resource's patient, computed once per decision.

Standing is what policy rules ask beyond labels: is the requester on the patient's team, the
record's keeper, a payer of the patient's coverage, the patient, or a personal representative
with legal authority recorded at intake; is the patient a minor; did the minor consent to this
kind of care themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from consent import codes, roles
from consent.facts import ResourceFacts
from consent.provisions import ConsentSet
from consent.record import (
    ADULT_REPRESENTATIVE_CODES,
    REPRESENTATIVE_CODES,
    SUSPECTED_ABUSE,
    age,
)
from consent.requester import Requester

SelfConsent = Literal["mental-health", "substance-use", "sexual-health"]
MENTAL_HEALTH = frozenset({"MH", "PSY", "BH", "PSYTHPN"})
SUBSTANCE_USE = frozenset({"SUD", "ETH", "42CFRPart2"})
# STD (CGS 19a-216), HIV (19a-592) and pregnancy or abortion counselling (19a-601): a minor
# consents to this care alone by law, so the codes are the evidence.
SEXUAL_HEALTH = frozenset({"STD", "HIV", "SEX"})


@dataclass(frozen=True)
class Standing:
    care_team: bool
    custodian: bool
    payer: bool
    own_record: bool
    representative: bool
    suspected_abuser: bool
    minor: bool | None  # None: no birth date on record
    self_consented: frozenset[SelfConsent]
    may_claim: bool
    originator: bool
    emergency: bool  # a declared emergency covers this patient, now (42 CFR 2.51)


def standing(
    requester: Requester, facts: ResourceFacts, consents: ConsentSet, now: datetime
) -> Standing:
    record, patient = consents.record, facts.patient
    born = record.birth_date(patient)
    minor = None if born is None else age(born, now) < 18
    authority = record.authority(requester.who, patient, now)
    org = requester.organization
    return Standing(
        care_team=requester.on_care_team_of(patient),
        custodian=is_custodian(requester, facts),
        payer=org is not None and org in record.payers(patient, now),
        own_record=patient is not None and requester.who == patient,
        representative=represents(authority, minor),
        suspected_abuser=SUSPECTED_ABUSE in authority,
        minor=minor,
        self_consented=_self_consented(facts, consents, minor, now),
        may_claim=roles.may_claim(requester.role, requester.purpose, requester.who, org),
        originator=requester.who in facts.authors,
        emergency=requester.emergency is not None and requester.emergency.covers(patient, now),
    )


def is_custodian(requester: Requester, facts: ResourceFacts) -> bool:
    keeper = codes.custodian_key(facts.source)
    return keeper is not None and keeper == requester.organization_key


def represents(authority: frozenset[str], minor: bool | None) -> bool:
    if SUSPECTED_ABUSE in authority:
        return False
    held = ADULT_REPRESENTATIVE_CODES if minor is not True else REPRESENTATIVE_CODES
    return not held.isdisjoint(authority)


def _self_consented(
    facts: ResourceFacts, consents: ConsentSet, minor: bool | None, now: datetime
) -> frozenset[SelfConsent]:
    """The kinds of care in this record the minor consented to alone: per patient and per
    service, from the labels (ADOL), the program (a Part 2 record: 42 CFR 2.14), the codes
    (sexual health) or a Consent under CGS 19a-14c / 17a-688; never from an intake flag alone.
    Care flagged as parent-consented is the minor's own only where the labels say so."""
    if minor is False:
        return frozenset()
    labels = facts.labels
    told: set[str] = set()
    if codes.PARENT_CONSENTED not in labels:
        told |= consents.statutes(facts.patient, now)
    if codes.PARENT_CONSENTED not in labels and not SEXUAL_HEALTH.isdisjoint(labels):
        told.add("sexual-health")
    if "ADOL" in labels:
        told |= {"mental-health", "substance-use"}
    if "42CFRPart2" in labels:
        told.add("substance-use")
    kinds: dict[SelfConsent, frozenset[str]] = {
        "mental-health": MENTAL_HEALTH, "substance-use": SUBSTANCE_USE,
        "sexual-health": SEXUAL_HEALTH,
    }
    return frozenset(k for k, held in kinds.items() if k in told and not held.isdisjoint(labels))
