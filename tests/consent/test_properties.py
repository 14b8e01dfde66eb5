"""Invariants of decide() over random Consents, requesters and labelled resources."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consent import codes
from consent.decision import Decision, Effect
from consent.engine import decide
from consent.requester import Membership, Requester
from consent.rules import load_policy
from tests.consent.builders import GUARDIAN, NOW, RECORD, actor
from tests.consent.strategies import (
    CLINICIANS,
    PATIENT,
    TEAM,
    ConsentSpec,
    consent_lists,
    deciding,
    requesters,
    resource_labels,
    resources,
    signature_counts,
    with_record,
)

POLICY = load_policy()
MANY = settings(max_examples=2000, deadline=None)
SOME = settings(max_examples=500, deadline=None)
# The rules that release restricted data without a Consent.
RULE_EXITS = {
    "hipaa-tpo.custodian",
    "break-glass.emergency-treatment",
    "hipaa-tpo.patient-access",
    "hipaa-tpo.minor-self-access",
    "ferpa-idea.parent-inspection",
    "ferpa-idea.student-inspection",
}
IO_EVENTS = ("open", "socket.", "subprocess.", "os.system", "os.exec", "os.spawn", "shutil.")
_guard = {"on": False}


def _no_io(event: str, _args: tuple[Any, ...]) -> None:
    if _guard["on"] and event.startswith(IO_EVENTS):
        raise AssertionError(f"decide() did I/O: {event}")


sys.addaudithook(_no_io)  # audit hooks cannot be removed; this one is inert unless guarded


@contextmanager
def forbidding_io() -> Iterator[None]:
    _guard["on"] = True
    try:
        yield
    finally:
        _guard["on"] = False


def run(requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]) -> Decision:
    return decide(requester, "read", resource, with_record(specs), POLICY, NOW)


@MANY
@given(requesters(), resources(), consent_lists())
def test_a_matching_deny_provision_always_wins(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    denying = [
        s.id
        for s in specs
        if s.usable
        and signature_counts(s, resource)
        and any(p.type == "deny" for p in deciding(s.root, requester, resource))
    ]
    decision = run(requester, resource, specs)
    if denying:
        assert decision.effect is Effect.DENY
        assert {f"Consent/{cid}" for cid in denying} <= set(decision.consents)


@MANY
@given(requesters(), resources(), consent_lists())
def test_restricted_data_needs_a_matching_permit_or_break_glass(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    decision = run(requester, resource, specs)
    labels = resource_labels(resource)
    if not decision.permitted or not ({"R", "V"} & labels or not {"N", "R", "V"} & labels):
        return
    consent_permit = any(
        s.usable and any(p.type == "permit" for p in deciding(s.root, requester, resource))
        for s in specs
    )
    break_glass = (
        requester.purpose == "ETREAT"
        and requester.role in CLINICIANS
        and requester.emergency is not None
    )
    inspection = "FERPA" in labels and requester.who == GUARDIAN and requester.purpose == "FAMRQT"
    source = resource["meta"].get("source", "")
    custodian = bool(requester.organization_key) and source.endswith(
        f"/{requester.organization_key}"
    )
    assert consent_permit or break_glass or custodian or inspection
    cited = {r.ref for r in decision.decisive}
    assert any(ref.startswith("Consent/") for ref in cited) or cited & RULE_EXITS


@MANY
@given(requesters(), resources(), consent_lists())
def test_expired_or_inactive_consents_never_permit(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    decision = run(requester, resource, specs)
    unusable = {f"Consent/{s.id}" for s in specs if not s.usable}
    assert not unusable & {r.ref for r in decision.decisive}
    without = run(requester, resource, [s for s in specs if s.usable])
    assert decision.effect == without.effect
    assert decision.decisive == without.decisive


@MANY
@given(requesters(), resources(), consent_lists(), st.randoms(use_true_random=False))
def test_decide_is_deterministic_order_free_and_does_no_io(
    requester: Requester,
    resource: dict[str, Any],
    specs: list[ConsentSpec],
    rng: Any,
) -> None:
    consents = with_record(specs)
    with forbidding_io():
        first = decide(requester, "read", resource, consents, POLICY, NOW)
        again = decide(requester, "read", resource, consents, POLICY, NOW)
        shuffled = list(consents)
        rng.shuffle(shuffled)
        reordered = decide(requester, "read", resource, shuffled, POLICY, NOW)
    assert first == again
    assert reordered.effect == first.effect
    assert {r.key for r in reordered.decisive} == {r.key for r in first.decisive}


@MANY
@given(
    requesters(),
    resources(),
    consent_lists(),
    st.sampled_from(["read", "search", "create", "update"]),
)
def test_every_decision_has_at_least_one_reason(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec], action: Any
) -> None:
    decision = decide(requester, action, resource, with_record(specs), POLICY, NOW)
    assert decision.decisive
    assert all(r.text for r in decision.reasons)
    assert decision.policy_version == POLICY.version


def test_the_io_guard_catches_io() -> None:
    caught = False
    with forbidding_io():
        try:
            open(__file__).close()
        except AssertionError:
            caught = True
    assert caught


# The holes a legal review found in Consent matching (issue 11, item 4), one invariant each.
WHITFIELD_ROLE = {
    "resourceType": "PractitionerRole",
    "id": "whitfield-capitol-peds",
    "practitioner": {"reference": "Practitioner/ana-whitfield"},
    "organization": {"reference": "Organization/capitol-peds"},
}


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("provision", []):
        yield from _nodes(child)


def rewritten(specs: list[ConsentSpec], change: Callable[[dict[str, Any]], None]) -> list[Any]:
    consents = [s.fhir() for s in specs]
    for c in consents:
        for node in _nodes(c["provision"]):
            change(node)
    return [*consents, *RECORD]


def restricted(resource: dict[str, Any]) -> bool:
    return bool({"R", "V"} & resource_labels(resource) or not {"N"} & resource_labels(resource))


def released_by_consent_alone(decision: Decision, resource: dict[str, Any]) -> bool:
    cited = {r.ref for r in decision.decisive}
    return decision.permitted and restricted(resource) and not cited & RULE_EXITS


def _set_actor_roles(code: str) -> Callable[[dict[str, Any]], None]:
    def change(node: dict[str, Any]) -> None:
        for a in node.get("actor", []):
            a["role"] = {"coding": [{"system": codes.PARTICIPATION_TYPE, "code": code}]}

    return change


def _set_actors(reference: str | None) -> Callable[[dict[str, Any]], None]:
    def change(node: dict[str, Any]) -> None:
        if reference is None:
            node.pop("actor", None)
        elif "actor" in node:
            node["actor"] = [actor(reference)]

    return change


@SOME
@given(requesters(), resources(), consent_lists(), st.sampled_from(["absolute", "versioned"]))
def test_an_absolute_or_versioned_patient_reference_is_the_same_patient(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec], form: str
) -> None:
    version = "/_history/2" if form == "versioned" else ""
    written = f"https://fhir.example.org/fhir/{PATIENT}{version}"
    moved = {**resource, "subject": {"reference": written}}
    assert run(requester, moved, specs).decisive == run(requester, resource, specs).decisive


@SOME
@given(requesters(), resources(), consent_lists(), st.sampled_from([None, "Group/g1", "#p"]))
def test_a_resource_whose_patient_cannot_be_resolved_is_denied(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec], ref: str | None
) -> None:
    orphan = {k: v for k, v in resource.items() if k != "subject"}
    if ref:
        orphan["subject"] = {"reference": ref}
    decision = run(requester, orphan, specs)
    assert decision.effect is Effect.DENY
    assert [r.ref for r in decision.decisive] == ["unresolved-patient"]


@SOME
@given(requesters(), resources(), consent_lists())
def test_a_consent_that_names_no_patient_never_votes(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    consents = [{k: v for k, v in s.fhir().items() if k != "patient"} for s in specs]
    decision = decide(requester, "read", resource, [*consents, *RECORD], POLICY, NOW)
    assert not [r for r in decision.decisive if r.kind == "consent"]


@SOME
@given(requesters(), resources(), consent_lists())
def test_a_provision_with_no_actor_never_releases_restricted_data(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    consents = rewritten(specs, _set_actors(None))
    decision = decide(requester, "read", resource, consents, POLICY, NOW)
    assert not released_by_consent_alone(decision, resource)


@SOME
@given(requesters(), resources(), consent_lists(), st.sampled_from(["CST", "INF", "AUT"]))
def test_an_actor_whose_role_is_not_a_recipient_role_grants_nothing(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec], role: str
) -> None:
    def in_permits(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        return lambda node: change(node) if node.get("type") == "permit" else None

    non_recipient = rewritten(specs, in_permits(_set_actor_roles(role)))
    nobody = rewritten(specs, in_permits(_set_actors("Organization/nobody")))
    first = decide(requester, "read", resource, non_recipient, POLICY, NOW)
    second = decide(requester, "read", resource, nobody, POLICY, NOW)
    assert (first.effect, first.decisive) == (second.effect, second.decisive)


@SOME
@given(resources(), consent_lists(), st.booleans())
def test_a_care_team_actor_never_releases_restricted_data_to_the_parent(
    resource: dict[str, Any], specs: list[ConsentSpec], on_team: bool
) -> None:
    parent = Requester(
        who=GUARDIAN,
        role="parent",
        purpose="FAMRQT",
        care_teams=frozenset({Membership(TEAM, PATIENT)}) if on_team else frozenset(),
    )
    decision = decide(parent, "read", resource, rewritten(specs, _set_actors(TEAM)), POLICY, NOW)
    assert not released_by_consent_alone(decision, resource)


@SOME
@given(resources(), consent_lists())
def test_an_organization_actor_never_releases_restricted_data_to_its_billing_office(
    resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    billing = Requester(
        who="Practitioner/capitol-peds-billing",
        role="billing",
        purpose="HPAYMT",
        organization="Organization/capitol-peds",
    )

    def org_for_any_purpose(node: dict[str, Any]) -> None:
        _set_actors("Organization/capitol-peds")(node)
        node.pop("purpose", None)

    decision = decide(billing, "read", resource, rewritten(specs, org_for_any_purpose), POLICY, NOW)
    assert not released_by_consent_alone(decision, resource)


@SOME
@given(requesters(), resources(), consent_lists())
def test_a_practitioner_role_actor_is_its_practitioner_at_its_organization(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    by_role = rewritten(specs, _set_actors("PractitionerRole/whitfield-capitol-peds"))
    by_person = rewritten(specs, _set_actors("Practitioner/ana-whitfield"))
    role = decide(requester, "read", resource, [*by_role, WHITFIELD_ROLE], POLICY, NOW)
    person = decide(requester, "read", resource, by_person, POLICY, NOW)
    assert (role.effect, role.decisive) == (person.effect, person.decisive)


@SOME
@given(requesters(), resources(), consent_lists())
def test_the_requesters_own_signature_never_permits(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    consents = [{**s.fhir(), "performer": [{"reference": requester.who}]} for s in specs]
    decision = decide(requester, "read", resource, [*consents, *RECORD], POLICY, NOW)
    assert not [r for r in decision.decisive if r.kind == "consent" and "permits" in r.text]
