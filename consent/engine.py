"""decide(): a pure, deterministic access decision. No I/O, no clock: `now` is an argument.

Votes combine deny-overrides: any applicable deny (a policy rule or a Consent provision) wins.
Then every `restrict` rule that applies must be satisfied by a suitable permit. Then at least
one permit must apply; with none, the answer is deny.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from consent import codes
from consent.decision import Decision, Effect, Obligation, Reason
from consent.facts import ResourceFacts, resource_facts
from consent.provision import Naming
from consent.provisions import ConsentSet, Vote, compile_consents
from consent.requester import Action, Requester
from consent.roles import PROVIDER_KINDS, RoleKind, role_kind
from consent.rules import ConsentRequirement, Policy, Rule
from consent.signatures import Ballot, ballots
from consent.standing import standing as standing_of

NAMING = {"team": Naming.TEAM, "organization": Naming.ORGANIZATION, "person": Naming.PERSON}
FAMILY_REFS = ("RelatedPerson/", "Patient/")
# Whom a release naming their organization reaches, for restricted data: its clinical,
# care-coordination and school staff; billing, operations or a front desk only for a purpose
# the release itself names.
NAMED_BY_ORGANIZATION = PROVIDER_KINDS | {RoleKind.SCHOOL}


@dataclass(frozen=True)
class _Inputs:
    requester: Requester
    facts: ResourceFacts
    rules: tuple[Rule, ...]
    ballots: tuple[Ballot, ...]
    notes: tuple[Reason, ...]
    version: str


def decide(
    requester: Requester,
    action: Action,
    resource: Mapping[str, Any],
    consents: Sequence[Mapping[str, Any]] | ConsentSet,
    policy: Policy,
    now: datetime,
) -> Decision:
    """Decide one request for one resource. Pass a compiled ConsentSet to reuse it.

    `consents` is the patient's Consents with the rest of their record decisions need
    (RelatedPerson, Coverage, Patient, PractitionerRole): see consent/record.py."""
    consent_set = compile_consents(consents)
    facts = resource_facts(resource)
    standing = standing_of(requester, facts, consent_set, now)
    votes = consent_set.votes(requester, action, facts, now)
    counted = ballots(votes, requester, facts.patient, standing, consent_set.record, now)
    inputs = _Inputs(
        requester=requester,
        facts=facts,
        rules=policy.matching(requester, action, facts, standing),
        ballots=counted,
        notes=_notes(consent_set, facts, now) + _uncounted(votes, counted),
        version=policy.version,
    )
    if facts.unresolved:
        text = "the resource's patient cannot be resolved, so no Consent or rule can apply"
        return _decision(inputs, Effect.DENY, (Reason("default", "unresolved-patient", text),), ())
    return _combine(inputs)


def _uncounted(votes: tuple[Vote, ...], counted: tuple[Ballot, ...]) -> tuple[Reason, ...]:
    kept = {id(b.vote) for b in counted}
    text = "does not count: no signer with authority over this care, or the Consent is void"
    return tuple(
        Reason("consent", v.consent.ref, text, v.provision.path, decisive=False)
        for v in votes
        if id(v) not in kept
    )


def _notes(consent_set: ConsentSet, facts: ResourceFacts, now: datetime) -> tuple[Reason, ...]:
    notes = [
        Reason("consent", ref, why, decisive=False)
        for ref, why in consent_set.skipped(facts.patient, now)
    ]
    if facts.confidentiality is None:
        text = "the resource has no confidentiality label, so it is treated as restricted (R)"
        notes.append(Reason("default", "unlabelled", text, decisive=False))
    return tuple(notes)


def _combine(inputs: _Inputs) -> Decision:
    denies = _denies(inputs)
    if denies:
        return _decision(inputs, Effect.DENY, denies, inputs.notes)
    failed = [rule for rule in _restricts(inputs) if not _satisfied(rule, inputs)]
    if failed:
        reasons = tuple(_unmet_reason(rule, inputs.requester) for rule in failed)
        near = tuple(dict.fromkeys(n for rule in failed for n in _near_misses(rule, inputs)))
        return _decision(inputs, Effect.DENY, reasons, inputs.notes + near)
    permits = _permits(inputs)
    if not permits:
        text = "no policy rule and no Consent provision permits this request"
        return _decision(inputs, Effect.DENY, (Reason("default", "no-permit", text),), inputs.notes)
    return _permit(inputs, permits)


def _denies(inputs: _Inputs) -> tuple[Reason, ...]:
    rules = [_rule_reason(r) for r in inputs.rules if r.effect == "deny"]
    votes = [_vote_reason(b.vote, inputs.requester) for b in inputs.ballots
             if b.vote.effect == "deny"]
    return (*rules, *votes)


def _permits(inputs: _Inputs) -> tuple[Reason, ...]:
    rules = [_rule_reason(r) for r in inputs.rules if r.effect == "permit"]
    votes = [_vote_reason(b.vote, inputs.requester) for b in inputs.ballots
             if b.vote.effect == "permit"]
    return (*rules, *votes)


def _restricts(inputs: _Inputs) -> list[Rule]:
    return [rule for rule in inputs.rules if rule.effect == "restrict"]


def _satisfied(rule: Rule, inputs: _Inputs) -> bool:
    assert rule.requires is not None
    by_rule = any(r.effect == "permit" and r.id in rule.requires.rules for r in inputs.rules)
    wanted = rule.requires.consent
    by_consent = wanted is not None and any(
        _meets(b, wanted, inputs.requester) for b in inputs.ballots
    )
    return by_rule or by_consent


def _meets(ballot: Ballot, wanted: ConsentRequirement, requester: Requester) -> bool:
    if ballot.vote.effect != "permit":
        return False
    signed = not wanted.signed_by or not wanted.signed_by.isdisjoint(ballot.signed)
    covers = not wanted.covers_labels or not wanted.covers_labels.isdisjoint(
        ballot.vote.provision.covered_labels
    )
    return signed and covers and names_closely(ballot.vote, wanted, requester)


def names_closely(vote: Vote, wanted: ConsentRequirement, requester: Requester) -> bool:
    """A restricted release names its recipient: never everyone, a family member in person."""
    needed = NAMING[wanted.named]
    if requester.who.startswith(FAMILY_REFS):
        needed = Naming.PERSON
    if vote.naming < needed:
        return False
    member = role_kind(requester.role) in NAMED_BY_ORGANIZATION
    if vote.naming == Naming.ORGANIZATION and not member:
        return requester.purpose in vote.provision.purposes
    return True


def _near_misses(rule: Rule, inputs: _Inputs) -> list[Reason]:
    """Consent permits that applied to the request but not enough for `rule`: for explain()."""
    wanted = rule.requires.consent if rule.requires else None
    if wanted is None:
        return []
    return [
        Reason("consent", b.vote.consent.ref, _shortfall(b, wanted, inputs.requester),
               b.vote.provision.path, decisive=False)
        for b in inputs.ballots
        if b.vote.effect == "permit" and not _meets(b, wanted, inputs.requester)
    ]


def _shortfall(ballot: Ballot, wanted: ConsentRequirement, requester: Requester) -> str:
    vote, lacks = ballot.vote, []
    if wanted.covers_labels and wanted.covers_labels.isdisjoint(vote.provision.covered_labels):
        purposes = " or ".join(sorted(vote.provision.purposes)) or "any purpose"
        lacks.append(f"covers {purposes} but not {' or '.join(sorted(wanted.covers_labels))}")
    if wanted.signed_by and wanted.signed_by.isdisjoint(ballot.signed):
        signers = ", ".join(sorted(vote.consent.signers)) or "nobody"
        lacks.append(f"is signed by {signers}, not by the {' or '.join(sorted(wanted.signed_by))}")
    if not names_closely(vote, wanted, requester):
        lacks.append(f"does not name {requester_name(requester)} as its recipient")
    return " and ".join(lacks)


def _permit(inputs: _Inputs, permits: tuple[Reason, ...]) -> Decision:
    satisfied = tuple(_rule_reason(rule) for rule in _restricts(inputs))
    obligations = _obligations(inputs)
    redacts = any(o.elements for o in obligations)
    effect = Effect.PERMIT_WITH_REDACTION if redacts else Effect.PERMIT
    return _decision(inputs, effect, satisfied + permits, inputs.notes, obligations)


def _obligations(inputs: _Inputs) -> tuple[Obligation, ...]:
    found: dict[tuple[str, tuple[str, ...]], Obligation] = {}
    permitted = {r.id for r in inputs.rules if r.effect == "permit"}
    labels = inputs.facts.labels
    for rule in inputs.rules:
        for spec in rule.obligations:
            if spec.labels_any and spec.labels_any.isdisjoint(labels):
                continue
            if spec.except_by & permitted:
                continue
            system = codes.OBLIGATION_SYSTEMS[spec.code]
            obligation = Obligation(system, spec.code, spec.elements)
            found.setdefault((spec.code, spec.elements), obligation)
    return tuple(found.values())


def _rule_reason(rule: Rule) -> Reason:
    return Reason("rule", rule.id, rule.reason)


def _vote_reason(vote: Vote, requester: Requester) -> Reason:
    verb = "permits" if vote.effect == "permit" else "denies"
    text = f"{verb} {requester_name(requester)} for {requester.purpose}"
    return Reason("consent", vote.consent.ref, text, vote.provision.path)


def _unmet_reason(rule: Rule, requester: Requester) -> Reason:
    need = rule.requires.consent if rule.requires else None
    if need is None:
        return Reason("rule", rule.id, f"{rule.reason}; not met for {requester_name(requester)}")
    signer = f" signed by the {' or '.join(sorted(need.signed_by))}" if need.signed_by else ""
    covering = f" covering {' or '.join(sorted(need.covers_labels))}" if need.covers_labels else ""
    unmet = f"no active Consent{signer}{covering} permits {requester_name(requester)}"
    return Reason("rule", rule.id, f"{rule.reason}; {unmet} for {requester.purpose}")


def requester_name(requester: Requester) -> str:
    if requester.display:
        return requester.display
    key = requester.organization_key
    return codes.ORGANIZATION_NAMES.get(key, requester.who) if key else requester.who


def _decision(
    inputs: _Inputs,
    effect: Effect,
    decisive: tuple[Reason, ...],
    notes: tuple[Reason, ...],
    obligations: tuple[Obligation, ...] = (),
) -> Decision:
    consents = tuple(dict.fromkeys(r.ref for r in decisive if r.kind == "consent"))
    flags = tuple(r.flag for r in inputs.rules if r.flag and effect is not Effect.DENY)
    emergency = _emergency(inputs) if "break-glass" in flags else ()
    return Decision(
        effect=effect,
        reasons=decisive + notes,
        obligations=obligations if effect is not Effect.DENY else (),
        policy_version=inputs.version,
        resource=inputs.facts.reference,
        patient=inputs.facts.patient,
        labels=tuple(sorted(inputs.facts.labels)),
        consents=consents,
        flags=flags,
        emergency=emergency,
    )


def _emergency(inputs: _Inputs) -> tuple[tuple[str, str], ...]:
    """Who received the record, their affiliation, when, and the nature of the emergency."""
    declared, who = inputs.requester.emergency, inputs.requester
    assert declared is not None
    return (
        ("recipient", requester_name(who)),
        ("affiliation", who.organization or "none"),
        ("until", declared.until.isoformat()),
        ("nature", declared.reason),
    )
