"""The program directory is defined once (vocabulary.programs), and a program record is
labelled by consent.label() alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from consent import codes
from gateway.devtools.golden import RECORDS
from mappings.registry import PROGRAMS, map_record
from mappings.tables import CODES, table
from vocabulary import programs


def record(program: str, name: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        (RECORDS / program / "valid" / f"{name}.json").read_text(encoding="utf-8"))
    return raw


def label_codes(resource: dict[str, Any]) -> list[str]:
    return [c["code"] for c in resource["meta"]["security"]]


def test_the_registry_maps_exactly_the_directorys_programs_in_its_order() -> None:
    assert tuple(PROGRAMS) == programs.PROGRAMS
    assert all(mapping.key == key for key, mapping in PROGRAMS.items())


def test_the_program_table_covers_exactly_the_directorys_programs() -> None:
    assert sorted(table("programs")) == sorted(programs.PROGRAMS)


def test_every_program_has_its_code_table_and_fixtures() -> None:
    for key in programs.PROGRAMS:
        assert (CODES / f"{key}.json").is_file(), key
        assert (RECORDS / key / "valid").is_dir(), key


def test_the_program_table_carries_no_security_labels() -> None:
    assert [key for key, entry in table("programs").items() if "security" in entry] == []


@pytest.mark.parametrize("key", programs.SOURCES)
def test_every_source_key_has_a_meta_source(key: str) -> None:
    assert codes.source_key(codes.program_source(key)) == key


def test_wrapct_records_are_labelled_by_the_behavioral_health_program_rule() -> None:
    for resource in map_record("wrapct", record("wrapct", "mateo-rivera")):
        assert label_codes(resource)[:3] == ["N", "BH", "MH"], resource["resourceType"]


def test_birth_to_three_records_are_ferpa_by_source() -> None:
    for resource in map_record("birth-to-three", record("birth-to-three", "sofia-initial")):
        assert codes.FERPA in label_codes(resource), resource["resourceType"]


def test_only_iep_and_504_attachments_of_a_shared_plan_are_ferpa() -> None:
    documents = [r for r in map_record("cyshcn", record("cyshcn", "lily-chen-review"))
                 if r["resourceType"] == "DocumentReference"]
    ferpa = {d["type"]["coding"][0]["code"] for d in documents
             if codes.FERPA in label_codes(d)}
    assert ferpa == {"iep", "section-504-plan"}
    assert len(documents) > len(ferpa)


def test_codes_in_a_program_record_label_it() -> None:
    """A referral to a mental health team (SNOMED 390866009) is MH wherever it is written."""
    requests = [r for r in map_record("home", record("home", "mateo-rivera"))
                if r["resourceType"] == "ServiceRequest"
                and any(c.get("code") == "390866009" for c in r["code"]["coding"])]
    assert requests
    assert all("MH" in label_codes(r) for r in requests)
