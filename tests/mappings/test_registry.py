"""The single entry point for intake and import: validate, check rules, map."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fhir.resources.R4B.careplan import CarePlan

from gateway.devtools.golden import RECORDS
from mappings.registry import PROGRAMS, map_bundle, map_record, schema, validate_record
from vocabulary.errors import NotFound, UnmappableRecord, ValidationFailed


def record(program: str, name: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        (RECORDS / program / "valid" / f"{name}.json").read_text(encoding="utf-8"))
    return raw


def test_programs_are_the_five_in_scope() -> None:
    assert sorted(PROGRAMS) == ["birth-to-three", "cyshcn", "help-me-grow", "home", "wrapct"]


def test_unknown_program_is_not_found() -> None:
    with pytest.raises(NotFound):
        map_record("school-nurse", {})
    with pytest.raises(NotFound):
        schema("school-nurse")


def test_map_record_returns_r4b_valid_json_with_one_main_care_plan() -> None:
    resources = map_record("home", record("home", "mateo-rivera"))
    plans = [CarePlan.model_validate(r) for r in resources if r["resourceType"] == "CarePlan"]
    assert [p.title for p in plans] == ["H.O.M.E. care coordination plan"]


def test_schema_error_points_at_the_record_field() -> None:
    raw = record("birth-to-three", "sofia-initial")
    raw["services"][0]["frequency"]["per"] = "day"
    with pytest.raises(ValidationFailed) as caught:
        validate_record("birth-to-three", raw)
    assert [i.expression for i in caught.value.issues] == ["services[0].frequency.per"]


def test_unmappable_code_is_a_distinct_error_at_the_field() -> None:
    raw = record("wrapct", "grace-okafor")
    raw["strategies"][2]["service_type"] = "EQUINE"
    with pytest.raises(UnmappableRecord) as caught:
        map_record("wrapct", raw)
    assert caught.value.issues[0].expression == "strategies[2].service_type"


def test_mapping_does_not_change_the_input() -> None:
    raw = record("cyshcn", "lily-chen")
    before = copy.deepcopy(raw)
    map_bundle("cyshcn", raw)
    assert raw == before


def test_bundle_id_is_deterministic_per_record() -> None:
    first = map_bundle("help-me-grow", record("help-me-grow", "sofia-rivera"))
    again = map_bundle("help-me-grow", record("help-me-grow", "sofia-rivera"))
    other = map_bundle("help-me-grow", record("help-me-grow", "lily-chen"))
    assert first["id"] == again["id"] != other["id"]


def test_ifsp_maps_both_parental_consents() -> None:
    resources = map_record("birth-to-three", record("birth-to-three", "sofia-initial"))
    consents = [r for r in resources if r["resourceType"] == "Consent"]
    assert sorted(c["scope"]["coding"][0]["code"] for c in consents) == [
        "patient-privacy", "treatment"]
