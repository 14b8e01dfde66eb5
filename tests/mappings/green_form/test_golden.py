"""Each Green Form fixture's whole output equals its golden file: the extraction Bundle of a
valid referral, the feedback Bundle of a valid feedback response (against the server's state
after its referral), the OperationOutcome of an invalid one. Regenerate deliberately with
`fixtures/green-form/regenerate.py`."""

from __future__ import annotations

import contextlib
import json

import pytest

from gateway.devtools.green_form_golden import Case, checked, render
from mappings.green_form import plan
from tests.mappings.green_form.helpers import CASES, FEEDBACK, INVALID, REFERRALS, case_id
from vocabulary.errors import ValidationFailed


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_output_equals_golden(case: Case) -> None:
    expected = json.loads(case.expected.read_text(encoding="utf-8"))
    assert render(case) == expected


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_valid_forms_extract_and_invalid_ones_fail(case: Case) -> None:
    kind = render(case)["resourceType"]
    assert kind == ("Bundle" if case.valid else "OperationOutcome")


def test_there_are_enough_fixtures() -> None:
    assert (len(REFERRALS) >= 6, len(FEEDBACK) >= 2, len(INVALID) >= 10) == (True, True, True)
    outcomes = {feedback_outcome(c) for c in FEEDBACK}
    assert {"accepted", "completed"} <= outcomes


def feedback_outcome(case: Case) -> str:
    items = [i for group in case.raw()["item"] for i in group.get("item", ())]
    outcome = next(i for i in items if i["linkId"] == "feedback.outcome")
    return str(outcome["answer"][0]["valueCoding"]["code"])


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_each_invalid_form_breaks_exactly_one_thing_and_says_where(case: Case) -> None:
    issues = render(case)["issue"]
    errors = [i for i in issues if i["severity"] in ("error", "fatal")]
    assert len(errors) == 1
    assert errors[0]["expression"][0].startswith("QuestionnaireResponse")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_checking_and_planning_leave_the_submitted_form_unchanged(case: Case) -> None:
    """The gateway answers with and stores what was posted: nothing on the way may edit it."""
    submitted = case.raw()
    before = json.dumps(submitted, sort_keys=True)
    with contextlib.suppress(ValidationFailed):
        plan.bundle(checked(submitted), {})
    assert json.dumps(submitted, sort_keys=True) == before
