"""explain(): the decision in words a privacy officer can act on."""

from __future__ import annotations

from consent.engine import decide
from consent.explanation import explain
from consent.rules import load_policy
from tests.consent.cases import Case, all_cases

POLICY = load_policy()


def case(name: str) -> Case:
    return next(c for c in all_cases() if c.name == name)


def explained(name: str) -> str:
    c = case(name)
    return explain(decide(c.requester, c.action, c.resource, c.consents, POLICY, c.now))


def test_part2_denial_names_the_label_the_requester_and_the_near_miss() -> None:
    text = explained(
        "a general consent that does not cover SUD records does not release Part 2 data"
    )
    assert text.startswith("Denied: record labelled restricted, 42 CFR Part2")
    assert (
        "no active Consent signed by the patient covering 42CFRPart2 or SUD or SUDCNOTE permits "
        "Dr. Ana Whitfield, Capitol Pediatrics for TREAT [42cfr-part2.consent-required]" in text
    )
    assert "Consent/daniel-general covers TREAT but not 42CFRPart2 or SUD or SUDCNOTE" in text
    assert text.endswith(f"Policy version {POLICY.version}.")


def test_nested_provisions_are_numbered_from_one_and_organizations_named() -> None:
    text = explained("a deny provision nested inside a permit wins over HIPAA TPO")
    assert (
        "Consent/mateo-family provision 1 denies Community Health Outreach (H.O.M.E.) "
        "for CAREMGT" in text
    )


def test_permit_lists_obligations_and_break_glass() -> None:
    text = explained("ETREAT break-glass opens a Part 2 record, flagged, with no-redisclosure")
    assert text.startswith("Permitted: ")
    assert "obligation NORDSCLCD: the recipient may not redisclose it" in text
    assert "break-glass access: flagged for privacy review" in text


def test_skipped_consents_are_explained_as_notes() -> None:
    text = explained("a revoked (inactive) Part 2 consent never permits")
    assert "note: Consent/daniel-part2-revoked is not active (status inactive)" in text
    expired = explained("an expired Part 2 consent never permits")
    assert "Consent/daniel-part2-expired is outside its period" in expired
