"""The generated Green Form Questionnaire is internally consistent and matches the agreed
outline: linkIds, nesting, types, codes that exist with their code system's displays."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import fhirpathpy
import pytest
from fhirpathpy.models import models

from tests.profiles.artefacts import (
    core_codesystems,
    generated,
    items,
    local_codesystems,
    questionnaire,
)

QUESTIONNAIRE = questionnaire()
ITEMS = list(items(QUESTIONNAIRE))
BY_LINK_ID = {item["linkId"]: item for item in ITEMS}
CONSTRAINT = "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint"
# Systems no package here defines; their codes were checked by hand against the source.
EXTERNAL_SYSTEMS = frozenset({
    "http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm", "urn:ietf:bcp:47",
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"})

# parent/linkId -> type and flags, as in the Green Form outline.
OUTLINE = {
    "/part": "choice req", "/child": "group req", "child/child.given-name": "string req",
    "child/child.family-name": "string req", "child/child.birth-date": "date req",
    "child/child.sex": "choice req", "child/child.husky-id": "string", "child/child.mrn": "string",
    "child/child.language": "choice req", "child/child.interpreter-needed": "boolean req",
    "child/guardian": "group req", "guardian/guardian.name": "string req",
    "guardian/guardian.relationship": "choice req", "guardian/guardian.phone": "string req",
    "guardian/guardian.email": "string", "/pcp": "group req", "pcp/pcp.name": "string req",
    "pcp/pcp.npi": "string req", "pcp/pcp.practice": "string req",
    "pcp/pcp.practice-npi": "string req", "pcp/pcp.phone": "string req", "pcp/pcp.fax": "string",
    "pcp/pcp.direct": "string", "/bh": "group req", "bh/bh.agency": "string req",
    "bh/bh.agency-npi": "string req", "bh/bh.clinician": "string",
    "bh/bh.clinician-npi": "string", "bh/bh.phone": "string req", "/referral": "group req",
    "referral/referral.service": "choice req", "referral/referral.reason": "string req",
    "referral/referral.urgency": "choice req", "referral/referral.ed-visit": "boolean req",
    "referral/referral.ed-visit-date": "date req", "referral/screening": "group rep",
    "screening/screening.instrument": "choice req", "screening/screening.score": "integer req",
    "screening/screening.date": "date req", "screening/screening.positive": "boolean req",
    "referral/diagnosis": "choice rep", "referral/medication": "group rep",
    "medication/medication.name": "string req", "medication/medication.dose": "string",
    "referral/allergies-known": "boolean req", "referral/allergy": "group req rep",
    "allergy/allergy.substance": "string req", "allergy/allergy.reaction": "string",
    "referral/history": "text", "referral/sdoh": "choice rep",
    "referral/family-goals": "text req", "/consent": "group req",
    "consent/consent.minor-self": "boolean req", "consent/consent.statute": "choice req",
    "consent/consent.signer-name": "string req",
    "consent/consent.signer-relationship": "choice req",
    "consent/consent.recipient": "choice req rep", "consent/consent.includes-sud": "boolean req",
    "consent/consent.includes-psychotherapy-notes": "boolean req",
    "consent/consent.signed-on": "date req", "consent/consent.expires": "date req",
    "/feedback": "group req", "feedback/feedback.referral": "reference req",
    "feedback/feedback.outcome": "choice req", "feedback/feedback.decline-reason": "string req",
    "feedback/feedback.first-appointment": "dateTime req", "feedback/feedback.seen-on": "date req",
    "feedback/feedback.diagnosis": "choice rep", "feedback/feedback.treatment-plan": "text req",
    "feedback/feedback.medications": "text", "feedback/feedback.follow-up": "text req",
    "feedback/feedback.recommendations": "text", "feedback/feedback.clinician-name": "string req",
    "feedback/feedback.clinician-phone": "string req",
}


def shape(node: dict[str, Any], parent: str = "") -> Iterator[tuple[str, str]]:
    for item in node.get("item", []):
        flags = ["req"] * bool(item.get("required")) + ["rep"] * bool(item.get("repeats"))
        yield f"{parent}/{item['linkId']}", " ".join([item["type"], *flags])
        yield from shape(item, item["linkId"])


def option_codings() -> Iterator[tuple[str, dict[str, Any]]]:
    for item in ITEMS:
        for option in item.get("answerOption", []):
            yield item["linkId"], option["valueCoding"]


def include_codings() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for valueset in generated("ValueSet"):
        for include in valueset["compose"]["include"]:
            for concept in include["concept"]:
                yield valueset["id"], include["system"], concept


def known_displays() -> dict[str, dict[str, str | None]]:
    return {**core_codesystems(), **local_codesystems()}


def test_items_nest_with_the_outline_types_and_flags() -> None:
    assert dict(shape(QUESTIONNAIRE)) == OUTLINE


def test_link_ids_are_unique() -> None:
    link_ids = [item["linkId"] for item in ITEMS]
    assert sorted(link_ids) == sorted(set(link_ids))


def test_questionnaire_metadata() -> None:
    assert {k: QUESTIONNAIRE[k] for k in ("url", "version", "status", "subjectType")} == {
        "url": "http://oneplan.example.org/fhir/Questionnaire/green-form", "version": "1.0.0",
        "status": "active", "subjectType": ["Patient"]}
    assert "meta" not in QUESTIONNAIRE


def test_every_item_has_text() -> None:
    assert [i["linkId"] for i in ITEMS if not i.get("text", "").strip()] == []


def test_enable_when_refers_to_an_earlier_item() -> None:
    seen: set[str] = set()
    for item in ITEMS:
        for condition in item.get("enableWhen", []):
            assert condition["question"] in seen, f"{item['linkId']}: {condition['question']}"
        seen.add(item["linkId"])


def test_enable_when_answer_is_one_the_question_can_have() -> None:
    for item in ITEMS:
        for condition in item.get("enableWhen", []):
            question = BY_LINK_ID[condition["question"]]
            if question["type"] == "boolean":
                assert isinstance(condition.get("answerBoolean"), bool), item["linkId"]
            else:
                options = [o["valueCoding"] for o in question["answerOption"]]
                coding = condition["answerCoding"]
                assert any(o["system"] == coding["system"] and o["code"] == coding["code"]
                           for o in options), item["linkId"]


def test_only_choice_items_have_answers_and_each_has_one_source() -> None:
    for item in ITEMS:
        sources = [k for k in ("answerOption", "answerValueSet") if k in item]
        assert len(sources) == (item["type"] == "choice"), (item["linkId"], sources)


def test_every_answer_value_set_is_a_generated_value_set() -> None:
    urls = {vs["url"] for vs in generated("ValueSet")}
    missing = [(i["linkId"], i["answerValueSet"]) for i in ITEMS
               if "answerValueSet" in i and i["answerValueSet"] not in urls]
    assert missing == []


def test_every_answer_option_code_is_in_its_code_system_with_its_display() -> None:
    known = known_displays()
    for link_id, coding in option_codings():
        assert coding["system"] in known, f"{link_id}: unknown system {coding['system']}"
        assert known[coding["system"]].get(coding["code"], "?") == coding["display"], link_id


def test_every_value_set_code_exists_with_its_display_where_the_system_is_here() -> None:
    known = known_displays()
    for vs_id, system, concept in include_codings():
        assert system in known or system in EXTERNAL_SYSTEMS, f"{vs_id}: {system}"
        if system in known:
            assert known[system].get(concept["code"], "?") == concept["display"], (vs_id, concept)


def test_code_system_counts_match_their_concepts() -> None:
    """A fragment (https://hl7.org/fhir/R4/codesystem-content-mode.html) has no count: its
    code system is bigger than what it lists."""
    for codesystem in generated("CodeSystem"):
        if codesystem["content"] == "complete":
            assert codesystem["count"] == len(codesystem["concept"]), codesystem["id"]
        else:
            assert codesystem["content"] == "fragment", codesystem["id"]
            assert "count" not in codesystem, codesystem["id"]


def constraint(link_id: str) -> str:
    [extension] = [e for e in BY_LINK_ID[link_id]["extension"] if e["url"] == CONSTRAINT]
    parts = {e["url"]: next(v for k, v in e.items() if k.startswith("value"))
             for e in extension["extension"]}
    assert parts["severity"] == "error"
    return str(parts["expression"])


def holds(expression: str, group: dict[str, Any]) -> bool:
    base = {"base": "QuestionnaireResponse.item", "expression": expression}
    return fhirpathpy.evaluate(group, base, {}, models["r4"]) == [True]


def answered(link_id: str, answer: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [answer]}


@pytest.mark.parametrize(("answers", "expected"), [
    ([answered("child.husky-id", {"valueString": "123456789"})], True),
    ([answered("child.mrn", {"valueString": "CP-0042"})], True),
    ([answered("child.given-name", {"valueString": "Maya"})], False),
])
def test_gf1_needs_a_husky_id_or_an_mrn(answers: list[dict[str, Any]], expected: bool) -> None:
    assert holds(constraint("child"), {"linkId": "child", "item": answers}) is expected


@pytest.mark.parametrize(("signed", "expires", "expected"), [
    ("2026-03-01", "2027-03-01", True), ("2026-03-01", "2026-03-01", False),
    ("2026-03-01", "2025-12-31", False),
])
def test_gf2_release_expires_after_it_is_signed(signed: str, expires: str,
                                                expected: bool) -> None:
    group = {"linkId": "consent", "item": [answered("consent.signed-on", {"valueDate": signed}),
                                           answered("consent.expires", {"valueDate": expires})]}
    assert holds(constraint("consent"), group) is expected
