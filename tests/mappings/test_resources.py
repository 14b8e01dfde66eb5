"""Every resource mapped from a valid fixture is well-formed FHIR R4 for our purposes:
it round-trips through fhir.resources R4B, uses codes its required bindings allow, carries
the program's stamps, and refers only to resources in the same output."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from consent.codes import CONFIDENTIALITY, ORGANIZATIONS, organization_reference, program_source
from gateway.devtools.golden import Case, render
from mappings.programs import program
from mappings.registry import map_record
from mappings.systems import local_displays
from tests.mappings.helpers import (
    BINDINGS,
    VALID,
    case_id,
    codings,
    periods,
    references,
    values_at,
)

LOCAL_CODE_SYSTEMS = "http://oneplan.example.org/fhir/CodeSystem/"


def mapped(case: Case) -> list[dict[str, Any]]:
    return map_record(case.program, case.raw())


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_resources_round_trip_through_r4b_models(case: Case) -> None:
    for resource in mapped(case):
        model = get_fhir_model_class(resource["resourceType"])
        assert model.model_validate(resource).model_dump(mode="json") == resource


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_required_bindings_hold(case: Case) -> None:
    bad = [(r["resourceType"], path, value)
           for r in mapped(case)
           for path, allowed in BINDINGS.get(r["resourceType"], {}).items()
           for value in values_at(r, path) if value not in allowed]
    assert bad == []


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_every_resource_carries_program_stamps(case: Case) -> None:
    source = program(case.program)
    for resource in mapped(case):
        assert resource["meta"]["source"] == program_source(case.program)
        assert resource["meta"]["security"][0]["system"] == CONFIDENTIALITY
        assert resource["identifier"][0]["system"] == source.record_system


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_references_resolve_within_the_output_or_to_shared_organizations(case: Case) -> None:
    resources = mapped(case)
    present = {f"{r['resourceType']}/{r['id']}" for r in resources}
    shared = {organization_reference(key) for key in ORGANIZATIONS}
    dangling = {ref for r in resources for ref in references(r)} - present - shared
    assert dangling == set()


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_ids_are_deterministic_and_unique(case: Case) -> None:
    first, second = mapped(case), mapped(case)
    ids = [r["id"] for r in first]
    assert ids == [r["id"] for r in second]
    assert len(set(ids)) == len(ids)
    assert not any(i.isdigit() for i in ids)


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_local_codes_are_defined_in_profiles(case: Case) -> None:
    undefined = [(c["system"], c["code"]) for r in mapped(case) for c in codings(r)
                 if c["system"].startswith(LOCAL_CODE_SYSTEMS)
                 and not c["system"].endswith("/oneplan-security")
                 and local_displays(c["system"].rsplit("/", 1)[1]).get(c["code"])
                 != c.get("display")]
    assert undefined == []


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_bundle_entries_are_addressed_by_their_ids(case: Case) -> None:
    bundle = render(case.program, case.raw())
    assert bundle["type"] in BINDINGS["Bundle"]["type"]
    assert [e["fullUrl"] for e in bundle["entry"]] == [
        f"urn:uuid:{e['resource']['id']}" for e in bundle["entry"]]


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_periods_do_not_end_before_they_start(case: Case) -> None:
    """Invariant per-1 (https://hl7.org/fhir/R4/datatypes.html#Period), to the day."""
    backwards = [(r["resourceType"], p) for r in mapped(case) for p in periods(r)
                 if p["end"][:10] < p["start"][:10]]
    assert backwards == []
