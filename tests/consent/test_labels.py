"""label(): confidentiality, sensitivity and law codes from data rules, with their basis."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.condition import Condition

from consent import codes
from consent.labels import LabelContext, LabelRules, MinorConsent, default_label_rules, label
from vocabulary.programs import GREEN_FORM, SOURCES

F = codes.CONFIDENTIALITY


def condition(code: str, system: str = codes.ICD10CM, source: str | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/mateo-rivera"},
        "code": {"coding": [{"system": system, "code": code}]},
    }
    if source:
        resource["meta"] = {"source": codes.program_source(source)}
    return resource


def security(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in resource["meta"]["security"]]


def label_codes(resource: dict[str, Any]) -> set[str]:
    return {code for _, code in security(resource)}


def basis(resource: dict[str, Any], code: str) -> str:
    coding = next(c for c in resource["meta"]["security"] if c["code"] == code)
    [extension] = coding["extension"]
    assert extension["url"] == codes.SEC_LABEL_BASIS
    assert extension["valueCoding"]["system"] == codes.ONEPLAN_POLICY
    return str(extension["valueCoding"]["code"])


def confidentiality(resource: dict[str, Any]) -> list[str]:
    return [code for system, code in security(resource) if system == F]


def test_a_record_from_a_part2_program_is_restricted_sud_and_part2() -> None:
    labelled = label(condition("F12.10", source="harbor-sud"))
    assert confidentiality(labelled) == ["R"]
    assert {"SUD", "ETH", "42CFRPart2"} <= label_codes(labelled)
    assert basis(labelled, "42CFRPart2") == "42cfr-part2"
    assert basis(labelled, "R") == "42cfr-part2"


def test_substance_use_outside_a_part2_program_is_eth_but_normal() -> None:
    labelled = label(condition("F12.10", source="capitol-peds"))
    assert confidentiality(labelled) == ["N"]
    assert label_codes(labelled) == {"N", "ETH"}
    assert basis(labelled, "N") == "hipaa-tpo"


def test_a_minors_self_consented_therapy_is_adol_mh_and_restricted() -> None:
    context = LabelContext(minor_consent="mental-health")
    labelled = label(condition("F32.1", source="riverside-bh"), context)
    assert confidentiality(labelled) == ["R"]
    assert {"ADOL", "MH", "PSY", "BH"} <= label_codes(labelled)
    assert basis(labelled, "ADOL") == "cgs-19a-14c"


def test_a_minors_self_consented_sud_care_cites_17a_688() -> None:
    labelled = label(condition("F10.10"), LabelContext(minor_consent="substance-use"))
    assert {"ADOL", "SUD", "ETH", "R"} <= label_codes(labelled)
    assert basis(labelled, "ADOL") == "cgs-17a-688"


def test_a_psychotherapy_note_is_known_by_its_document_type() -> None:
    note = {
        "resourceType": "DocumentReference",
        "id": "n1",
        "status": "current",
        "type": {"coding": [{"system": codes.ONEPLAN_DOCUMENT_TYPE, "code": "psychotherapy-note"}]},
        "content": [{"attachment": {"contentType": "text/plain"}}],
    }
    labelled = label(note)
    assert {"PSYTHPN", "HIPAAPsyNotes", "R"} <= label_codes(labelled)
    assert basis(labelled, "PSYTHPN") == "psychotherapy-notes"


def test_a_part_2_counseling_note_is_a_class_of_its_own() -> None:
    note = {
        "resourceType": "DocumentReference",
        "id": "n2",
        "status": "current",
        "type": {
            "coding": [{"system": codes.ONEPLAN_DOCUMENT_TYPE, "code": "sud-counseling-note"}]
        },
        "content": [{"attachment": {"contentType": "text/plain"}}],
    }
    labelled = label(note)
    assert {"SUDCNOTE", "42CFRPart2", "SUD", "R"} <= label_codes(labelled)
    assert basis(labelled, "SUDCNOTE") == "42cfr-part2"


@pytest.mark.parametrize(
    ("code", "system", "expected"),
    [
        ("B20", codes.ICD10CM, "HIV"),
        ("Z21", codes.ICD10CM, "HIV"),
        ("O98.71", codes.ICD10CM, "HIV"),
        ("86406008", codes.SNOMED, "HIV"),
        ("A54.9", codes.ICD10CM, "STD"),
        ("Z30.011", codes.ICD10CM, "SEX"),
        ("T74.22XA", codes.ICD10CM, "SDV"),
        ("intimate-partner-violence", codes.SDOHCC_TEMPORARY, "SDV"),
        ("F41.1", codes.ICD10CM, "PSY"),
        ("390866009", codes.SNOMED, "MH"),
    ],
)
def test_sensitivity_comes_from_the_codes_in_the_record(
    code: str, system: str, expected: str
) -> None:
    assert expected in label_codes(label(condition(code, system)))


def test_codes_outside_every_list_get_only_normal() -> None:
    assert label_codes(label(condition("J45.909"))) == {"N"}
    assert label_codes(label(condition("F17.210"))) == {"N"}  # nicotine is not in the SUD list


@pytest.mark.parametrize("source", ["birth-to-three", "b23-hartford", "lincoln-school"])
def test_school_and_birth_to_three_records_are_ferpa(source: str) -> None:
    labelled = label(condition("R62.50", source=source))
    ferpa = next(c for c in labelled["meta"]["security"] if c["code"] == codes.FERPA)
    assert ferpa["system"] == codes.ONEPLAN_SECURITY
    assert basis(labelled, codes.FERPA) == "ferpa-idea"


def test_a_school_based_health_center_keeps_hipaa_records() -> None:
    assert codes.FERPA not in label_codes(label(condition("J45.909", source="lincoln-sbhc")))


def test_the_context_names_the_program_when_meta_source_is_absent() -> None:
    labelled = label(condition("R62.50"), LabelContext(source="birth-to-three"))
    assert codes.FERPA in label_codes(labelled)


def test_exactly_one_confidentiality_and_a_higher_existing_one_is_kept() -> None:
    resource = condition("J45.909")
    resource["meta"] = {"security": [{"system": F, "code": "V"}, {"system": F, "code": "N"}]}
    labelled = label(resource)
    assert confidentiality(labelled) == ["V"]


def test_existing_labels_are_kept_and_not_duplicated() -> None:
    resource = condition("F12.10", source="harbor-sud")
    resource["meta"]["security"] = [codes.label_coding("SUD"), codes.label_coding("HIV")]
    labelled = label(resource)
    assert sorted(security(labelled)).count((codes.ACT_CODE, "SUD")) == 1
    assert "HIV" in label_codes(labelled)


def test_label_does_not_change_its_input() -> None:
    resource = condition("F12.10", source="harbor-sud")
    label(resource)
    assert "security" not in resource["meta"]


def test_label_takes_and_returns_a_fhir_resources_model() -> None:
    model = Condition.model_validate(condition("F12.10", source="harbor-sud"))
    labelled = label(model, LabelContext(minor_consent="substance-use"))
    assert isinstance(labelled, Condition)
    assert labelled.meta is not None
    assert labelled.meta.security is not None
    assert {s.code for s in labelled.meta.security} >= {"R", "SUD", "42CFRPart2", "ADOL"}


def test_rules_are_data_that_can_be_replaced() -> None:
    rules = LabelRules.model_validate(
        {
            "version": "test",
            "default": {"confidentiality": "N", "basis": "hipaa-tpo"},
            "rules": [
                {
                    "id": "asthma-is-secret",
                    "basis": "break-glass",
                    "match": {"icd10": ["J45"], "resource_type": ["Condition"]},
                    "confidentiality": "V",
                    "labels": ["MH"],
                }
            ],
        }
    )
    labelled = label(condition("J45.909"), rules=rules)
    assert confidentiality(labelled) == ["V"]
    assert basis(labelled, "MH") == "break-glass"
    assert label_codes(label(condition("J45.909"))) == {"N"}


def test_every_label_rule_names_a_known_policy_and_known_codes() -> None:
    rules = default_label_rules()
    for rule in rules.rules:
        assert rule.basis in {
            "hipaa-tpo",
            "42cfr-part2",
            "cgs-19a-14c",
            "cgs-17a-688",
            "ferpa-idea",
            "psychotherapy-notes",
            "break-glass",
            "cgs-minor-confidential",
        }
        assert set(rule.labels) <= set(codes.LABEL_SYSTEMS)
        assert set(rule.match.source) <= set(SOURCES) | set(codes.ORGANIZATIONS)


def test_program_source_knows_programs_and_cast_organizations() -> None:
    assert codes.program_source("birth-to-three").endswith("/program/birth-to-three")
    assert codes.source_key(codes.program_source("harbor-sud") + "#v2") == "harbor-sud"
    assert codes.source_key("http://elsewhere.example.org/x") is None
    with pytest.raises(ValueError, match="unknown program"):
        codes.program_source("nowhere")


def who(resource_type: str, source: str) -> dict[str, Any]:
    return {"resourceType": resource_type, "id": "w1",
            "meta": {"source": codes.program_source(source)}}


@pytest.mark.parametrize("resource_type", ["Patient", "Organization", "Practitioner"])
def test_the_green_forms_directory_resources_get_only_the_default(resource_type: str) -> None:
    for minor in (None, "mental-health", "substance-use"):
        context = LabelContext(minor_consent=minor)
        assert label_codes(label(who(resource_type, GREEN_FORM), context)) == {"N"}


def test_the_rest_of_a_green_form_is_behavioral_health_and_follows_the_minors_consent() -> None:
    guardian = who("RelatedPerson", GREEN_FORM)
    assert label_codes(label(guardian)) == {"N", "BH", "MH"}
    restricted = label(guardian, LabelContext(minor_consent="mental-health"))
    assert confidentiality(restricted) == ["R"]
    assert {"ADOL", "MH", "BH"} <= label_codes(restricted)


def test_a_part2_programs_patient_is_part2_information() -> None:
    """42 CFR 2.13: identifying someone as a patient of a Part 2 program is protected."""
    patient = label(who("Patient", "harbor-sud"))
    assert confidentiality(patient) == ["R"]
    assert "42CFRPart2" in label_codes(patient)


@pytest.mark.parametrize("source", ["wrapct", "birth-to-three"])
def test_a_programs_own_patient_keeps_the_programs_labels(source: str) -> None:
    assert label_codes(label(who("Patient", source))) - {"N"} != set()


def test_an_iep_or_504_plan_is_an_education_record_wherever_it_is_filed() -> None:
    system = "http://oneplan.example.org/fhir/CodeSystem/cyshcn-attachment"
    for kind, ferpa in (("iep", True), ("section-504-plan", True), ("emergency-plan", False)):
        document = {"resourceType": "DocumentReference", "id": "d1", "status": "current",
                    "type": {"coding": [{"system": system, "code": kind}]}}
        assert (codes.FERPA in label_codes(label(document))) is ferpa, kind


def test_not_resource_type_keeps_a_rule_off_those_resources() -> None:
    rules = LabelRules.model_validate({
        "version": "test", "default": {"confidentiality": "N", "basis": "hipaa-tpo"},
        "rules": [{"id": "asthma", "basis": "hipaa-tpo", "labels": ["MH"],
                   "match": {"icd10": ["J45"], "not_resource_type": ["Condition"]}}]})
    assert label_codes(label(condition("J45.909"), rules=rules)) == {"N"}
    observation = {**condition("J45.909"), "resourceType": "Observation"}
    assert label_codes(label(observation, rules=rules)) == {"N", "MH"}


@pytest.mark.parametrize("minor", [None, "mental-health", "substance-use"])
def test_the_context_is_read_back_from_a_resources_labels(minor: MinorConsent | None) -> None:
    context = LabelContext(minor_consent=minor, source=GREEN_FORM)
    labelled = label(condition("F32.1", source=GREEN_FORM), context)
    assert LabelContext.of_labelled(labelled) == context


def test_labels_another_rule_also_gives_tell_no_minor_consent() -> None:
    """MH and SUD come from code rules too; only ADOL with its statute's basis tells."""
    labelled = label(condition("F12.10", source="harbor-sud"))
    assert LabelContext.of_labelled(labelled).minor_consent is None
    bare = {**condition("J45.909"), "meta": {"security": [codes.label_coding("ADOL")]}}
    assert LabelContext.of_labelled(bare).minor_consent is None
