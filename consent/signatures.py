"""Whose signature on a Consent counts, for this request and this kind of care.

A signature counts only from the patient, or from a personal representative whose legal
authority over the patient is recorded (consent/record.py). The patient signs for themselves
once 18 (HIPAA; FERPA's eligible student, 34 CFR 99.5(a)) and, while a minor, for the care they
consented to alone; only they sign for that care (CGS 19a-14c, 17a-688; 42 CFR 2.14). The
requester's own signature never authorizes the requester.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from consent.provisions import Vote
from consent.record import PatientRecord
from consent.requester import Requester
from consent.standing import Standing, represents

Signer = Literal["patient", "guardian"]


@dataclass(frozen=True)
class Ballot:
    """A Consent provision's vote that counts, and who validly signed its Consent."""

    vote: Vote
    signed: frozenset[Signer]


def signed_by(
    signers: frozenset[str],
    patient: str | None,
    standing: Standing,
    record: PatientRecord,
    now: datetime,
) -> frozenset[Signer]:
    found: set[Signer] = set()
    for who in signers:
        if who == patient and (standing.minor is False or standing.self_consented):
            found.add("patient")
        elif (
            who != patient
            and not standing.self_consented
            and represents(record.authority(who, patient, now), standing.minor)
        ):
            found.add("guardian")
    return frozenset(found)


def ballots(
    votes: tuple[Vote, ...],
    requester: Requester,
    patient: str | None,
    standing: Standing,
    record: PatientRecord,
    now: datetime,
) -> tuple[Ballot, ...]:
    """The votes that count. A permit needs a valid signer other than the requester and a
    Consent whose permits are not void; a deny counts unless every signer lacks authority
    over this care (an unsigned deny counts: a refusal fails closed)."""
    counted = []
    for vote in votes:
        consent = vote.consent
        if vote.effect == "permit":
            signers = consent.signers - {requester.who}
            signed = signed_by(signers, patient, standing, record, now)
            keep = bool(signed) and consent.permit_defect() is None
        else:
            signed = signed_by(consent.signers, patient, standing, record, now)
            keep = not consent.signers or bool(signed)
        if keep:
            counted.append(Ballot(vote, signed))
    return tuple(counted)
