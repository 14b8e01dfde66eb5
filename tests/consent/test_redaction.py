"""redact() applies a decision's REDACT obligation; decide() never changes data."""

from __future__ import annotations

import copy

import pytest

from consent import codes
from consent.decision import Decision, Effect, Obligation
from consent.engine import decide
from consent.redaction import DeniedResource, redact
from consent.rules import load_policy
from tests.consent.builders import NOW, requester, resource

POLICY = load_policy()
LINK = "http://hl7.org/fhir/StructureDefinition/narrativeLink"


def plan() -> dict[str, object]:
    made = resource(
        "N",
        rtype="CarePlan",
        rid="p1",
        status="active",
        intent="plan",
        text={"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'},
        note=[{"text": "Mother reports night terrors."}],
        activity=[
            {
                "detail": {
                    "status": "scheduled",
                    "description": "Counseling",
                    "extension": [{"url": LINK, "valueUrl": "#a"}],
                }
            }
        ],
    )
    made["meta"]["source"] = codes.program_source("capitol-peds")  # billing's own record
    return made


def decision(effect: Effect, *elements: str) -> Decision:
    obligations = (Obligation(codes.OBLIGATION_POLICY, "REDACT", elements),) if elements else ()
    return Decision(effect, (), obligations, "v", "CarePlan/p1", None, ("N",))


def test_payment_decision_redacts_narrative_and_marks_the_copy() -> None:
    original = plan()
    before = copy.deepcopy(original)
    billing = requester(purpose="HPAYMT", role="billing", patient=None)
    verdict = decide(billing, "read", original, [], POLICY, NOW)
    assert verdict.effect is Effect.PERMIT_WITH_REDACTION
    assert original == before  # decide() did not touch the data
    redacted = redact(original, verdict)
    assert "note" not in redacted
    assert "text" not in redacted
    assert "extension" not in redacted["activity"][0]["detail"]
    assert redacted["activity"][0]["detail"]["description"] == "Counseling"
    assert {"system": codes.OBSERVATION_VALUE, "code": "REDACTED", "display": "redacted"} in (
        redacted["meta"]["security"]
    )
    assert original == before  # nor did redact()


def test_dotted_paths_walk_through_lists() -> None:
    redacted = redact(plan(), decision(Effect.PERMIT_WITH_REDACTION, "activity.detail.description"))
    assert "description" not in redacted["activity"][0]["detail"]
    assert redacted["note"] == plan()["note"]


def test_a_plain_permit_returns_an_equal_copy() -> None:
    assert redact(plan(), decision(Effect.PERMIT)) == plan()


def test_a_denied_resource_cannot_be_redacted() -> None:
    with pytest.raises(DeniedResource):
        redact(plan(), decision(Effect.DENY))
