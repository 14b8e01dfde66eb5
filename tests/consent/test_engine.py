"""decide() semantics the policy files lean on: provisions, nesting, periods, defaults."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fhir.resources.R4B.consent import Consent

from consent.dates import Period, span
from consent.decision import Effect
from consent.engine import decide
from consent.provisions import compile_consents
from consent.rules import load_policy
from tests.consent.builders import NOW, RECORD, consent, provision, requester, resource

POLICY = load_policy()
PEDS = "Organization/capitol-peds"


def effect(res: dict[str, Any], *consents: dict[str, Any], **who: Any) -> Effect:
    return decide(requester(**who), "read", res, [*consents, *RECORD], POLICY, NOW).effect


def test_the_builders_make_valid_r4_consents() -> None:
    Consent.model_validate(consent(provision(actors=(PEDS,), children=(provision("deny"),))))


def test_a_nested_permit_is_an_exception_to_a_deny() -> None:
    deny_all_but_peds = provision("deny", children=(provision("permit", actors=(PEDS,)),))
    restricted = resource("R", "MH")
    assert effect(restricted, consent(deny_all_but_peds)) is Effect.PERMIT
    assert effect(restricted, consent(deny_all_but_peds), org="riverside-bh") is Effect.DENY


def test_a_nested_provision_applies_only_inside_its_parent() -> None:
    root = provision(
        actors=(PEDS,), purposes=("TREAT",), children=(provision("deny", labels=("MH",)),)
    )
    record = resource("N", "MH")
    decision = decide(requester(), "read", record, [consent(root), *RECORD], POLICY, NOW)
    assert decision.effect is Effect.DENY
    assert [r.key for r in decision.decisive] == ["Consent/c1 provision.provision[0]"]
    billing = requester(purpose="HPAYMT")
    other = decide(billing, "read", record, [consent(root), *RECORD], POLICY, NOW)
    assert "Consent/c1 provision.provision[0]" not in {r.key for r in other.reasons}


def test_deny_overrides_across_consents() -> None:
    permit = consent(provision(actors=(PEDS,)), cid="yes")
    deny = consent(provision("deny", actors=(PEDS,)), cid="no")
    decision = decide(requester(), "read", resource("R"), [permit, deny, *RECORD], POLICY, NOW)
    assert decision.effect is Effect.DENY
    assert decision.consents == ("Consent/no",)


def test_a_permit_for_normal_data_does_not_reach_restricted_data() -> None:
    only_normal = consent(provision(actors=(PEDS,), labels=("N",)))
    assert effect(resource("N"), only_normal, patient=None) is Effect.PERMIT
    assert effect(resource("R", "MH"), only_normal) is Effect.DENY


def test_provision_period_is_checked_against_now() -> None:
    later = provision(actors=(PEDS,), period={"start": "2026-10-01"})
    assert effect(resource("R"), consent(later)) is Effect.DENY


def test_a_consent_for_another_patient_is_skipped_with_a_note() -> None:
    elsewhere = consent(provision(actors=(PEDS,)), patient="Patient/lily-chen")
    decision = decide(requester(), "read", resource("R"), [elsewhere, *RECORD], POLICY, NOW)
    assert decision.effect is Effect.DENY
    assert any("Patient/lily-chen" in r.text for r in decision.reasons if not r.decisive)


def test_code_and_data_criteria() -> None:
    coded = resource("R", code={"coding": [{"system": "http://loinc.org", "code": "44249-1"}]})
    by_code = provision(
        actors=(PEDS,), code=[{"coding": [{"system": "http://loinc.org", "code": "44249-1"}]}]
    )
    by_data = provision(
        actors=(PEDS,),
        data=[{"meaning": "instance", "reference": {"reference": "Observation/obs-2"}}],
    )
    assert effect(coded, consent(by_code)) is Effect.PERMIT
    assert effect(resource("R", rid="obs-2"), consent(by_data)) is Effect.PERMIT
    assert effect(resource("R", rid="obs-3"), consent(by_data)) is Effect.DENY


def test_an_undated_resource_meets_a_data_period_deny_but_not_a_permit() -> None:
    period = {"start": "2026-01-01"}
    permit = consent(provision(actors=(PEDS,), dataPeriod=period))
    deny = consent(provision("deny", actors=(PEDS,), dataPeriod=period), cid="d")
    assert effect(resource("R"), permit) is Effect.DENY
    assert effect(resource("N"), deny) is Effect.DENY
    assert effect(resource("R", effectiveDateTime="2026-02-02"), permit) is Effect.PERMIT


def test_consent_actions_map_to_request_actions() -> None:
    collect = {
        "coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": "collect"}
        ]
    }
    writes_only = consent(provision(actors=(PEDS,), action=[collect]))
    assert effect(resource("R"), writes_only) is Effect.DENY
    decision = decide(requester(), "create", resource("R"), [writes_only, *RECORD], POLICY, NOW)
    assert decision.effect is Effect.PERMIT


def test_a_compiled_consent_set_decides_like_the_raw_consents() -> None:
    consents = [
        consent(provision(actors=(PEDS,), children=(provision("deny", labels=("HIV",)),))),
        *RECORD,
    ]
    compiled = compile_consents(consents)
    for labels in [("R",), ("R", "HIV"), ("N",)]:
        raw = decide(requester(), "read", resource(*labels), consents, POLICY, NOW)
        assert decide(requester(), "read", resource(*labels), compiled, POLICY, NOW) == raw


def test_partial_dates_cover_their_whole_span() -> None:
    assert span("2027-01") == (span("2027-01-01")[0], span("2027-02-01")[0])
    assert span("2026-12")[1] == span("2027")[0]
    period = Period.parse({"end": "2027-01-31"})
    assert period is not None
    assert period.contains(span("2027-01-31T23:59:59Z")[0])
    assert not period.contains(span("2027-02-01")[0])
    instant = Period.parse({"end": "2026-09-01T12:00:00Z"})
    assert instant is not None
    assert instant.contains(NOW)
    assert not instant.contains(NOW + timedelta(microseconds=1))


def test_every_decision_names_the_policy_version_and_the_resource() -> None:
    decision = decide(requester(), "read", resource("N"), [], POLICY, NOW)
    assert decision.policy_version == POLICY.version
    assert decision.resource == "Observation/obs-1"
    assert decision.patient == "Patient/grace-okafor"
    assert decision.labels == ("N",)


@pytest.mark.parametrize("status", ["inactive", "draft", "rejected", "entered-in-error"])
def test_only_active_consents_vote(status: str) -> None:
    assert effect(resource("R"), consent(provision(actors=(PEDS,)), status=status)) is Effect.DENY
