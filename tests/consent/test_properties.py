"""Invariants of decide() over random Consents, requesters and labelled resources."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consent.decision import Decision, Effect
from consent.engine import decide
from consent.requester import Requester
from consent.rules import load_policy
from tests.consent.builders import NOW
from tests.consent.strategies import (
    CLINICIANS,
    ConsentSpec,
    consent_lists,
    deciding,
    requesters,
    resource_labels,
    resources,
)

POLICY = load_policy()
MANY = settings(max_examples=2000, deadline=None)
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
    return decide(requester, "read", resource, [s.fhir() for s in specs], POLICY, NOW)


@MANY
@given(requesters(), resources(), consent_lists())
def test_a_matching_deny_provision_always_wins(
    requester: Requester, resource: dict[str, Any], specs: list[ConsentSpec]
) -> None:
    denying = [
        s.id
        for s in specs
        if s.usable and any(p.type == "deny" for p in deciding(s.root, requester, resource))
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
    break_glass = requester.purpose == "ETREAT" and requester.role in CLINICIANS
    source = resource["meta"].get("source", "")
    custodian = bool(requester.organization_key) and source.endswith(
        f"/{requester.organization_key}"
    )
    assert consent_permit or break_glass or custodian
    cited = {r.ref for r in decision.decisive}
    assert any(ref.startswith("Consent/") for ref in cited) or cited & {
        "break-glass.emergency-treatment",
        "hipaa-tpo.custodian",
    }


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
    consents = [s.fhir() for s in specs]
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
    decision = decide(requester, action, resource, [s.fhir() for s in specs], POLICY, NOW)
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
