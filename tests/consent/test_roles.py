"""The role and purpose-of-use vocabulary (consent.roles) that client registration will use."""

from __future__ import annotations

import pytest

from consent import PURPOSES, ROLES, load_policy, may_claim
from tests.consent.cases import all_cases

PROVIDER_PURPOSES = ("TREAT", "CAREMGT", "COC")


def test_every_role_and_purpose_the_policy_names_is_in_the_vocabulary() -> None:
    rules = load_policy().rules
    assert {role for r in rules for role in r.when.role} <= set(ROLES)
    assert {p for r in rules for p in r.when.purpose} <= PURPOSES


def test_the_policy_cases_use_the_vocabulary() -> None:
    assert {c.requester.role for c in all_cases()} <= {*ROLES, "volunteer"}


@pytest.mark.parametrize("purpose", PROVIDER_PURPOSES)
def test_treatment_purposes_are_for_provider_staff_never_a_related_person(purpose: str) -> None:
    assert may_claim("care-coordinator", purpose, "Practitioner/p", "Organization/o")
    assert may_claim("pcp", purpose, "Practitioner/p", "Organization/o")
    assert not may_claim("pcp", purpose, "RelatedPerson/r", None)
    assert not may_claim("pcp", purpose, "Practitioner/p", None)
    assert not may_claim("parent", purpose, "RelatedPerson/r", None)
    assert not may_claim("billing", purpose, "Practitioner/p", "Organization/o")


def test_family_purposes_are_for_family_and_self_access_for_the_patient() -> None:
    assert may_claim("parent", "FAMRQT", "RelatedPerson/r", None)
    assert not may_claim("pcp", "FAMRQT", "Practitioner/p", "Organization/o")
    assert may_claim("patient", "PATRQT", "Patient/p", None)
    assert not may_claim("parent", "PATRQT", "RelatedPerson/r", None)
