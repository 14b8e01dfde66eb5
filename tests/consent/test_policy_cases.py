"""Runs every case of every policy test file beside the policy (consent/policy/*.test.yaml)."""

from __future__ import annotations

import pytest

from consent.engine import decide
from consent.rules import load_policy
from tests.consent.cases import Case, all_cases, policy_test_files

POLICY = load_policy()
CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_policy_case(case: Case) -> None:
    decision = decide(case.requester, case.action, case.resource, case.consents, POLICY, case.now)
    expect = case.expect
    assert decision.effect == expect["effect"]
    assert sorted(r.key for r in decision.decisive) == sorted(expect["reasons"])
    assert sorted(o.code for o in decision.obligations) == sorted(expect.get("obligations", []))
    assert list(decision.flags) == expect.get("flags", [])
    notes = {r.key for r in decision.reasons if not r.decisive}
    assert set(expect.get("notes", [])) <= notes
    assert decision.policy_version == POLICY.version


def test_every_policy_file_has_a_test_file_with_cases() -> None:
    policies = {f.id for f in POLICY.files}
    tested = {path.name.removesuffix(".test.yaml") for path in policy_test_files()}
    assert policies == tested
    assert all(any(c.file == f"{p}.test.yaml" for c in CASES) for p in policies)


def test_every_rule_is_exercised_by_some_case() -> None:
    decided = set()
    for case in CASES:
        decision = decide(
            case.requester, case.action, case.resource, case.consents, POLICY, case.now
        )
        decided |= {r.ref for r in decision.reasons}
    assert {rule.id for rule in POLICY.rules} <= decided
