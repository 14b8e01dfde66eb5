"""The real HAPI's `$validate` accepts what the shared plan writes: the CarePlan, the merged
CareTeam, each Provenance, a conflict Task, and the golden Patient of Mateo's records, with
the CAST Organizations and OnePlan's CodeSystems loaded as for the mappings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.store.client import FhirClient
from identity.demographics import from_patient
from identity.golden import golden_patient
from mappings.registry import map_record
from shared_plan.contribution import Contribution
from shared_plan.derive import derive
from tests.mappings.test_hapi_validate import blocking, loaded, unknown_local_codes
from tests.shared_plan.test_derive import GOLDEN, MATEO, contribution, mateo, raw

__all__ = ["loaded"]  # the module fixture that loads Organizations and CodeSystems


def conflict() -> dict[str, Any]:
    """A Task: a second WrapCT record asks for Mateo's counselling monthly, not weekly."""
    other = json.loads(json.dumps(raw("wrapct")).replace('"weekly"', '"monthly"'))
    other["record_id"] = "WRAP-2026-0999"
    differing = Contribution("wrapct-copy", "cyshcn-nc",
                             contribution("wrapct", other).resources)
    return next(r for r in derive(MATEO, [*mateo(), differing]) if r["resourceType"] == "Task")


def golden() -> dict[str, Any]:
    members = []
    for program in ("home", "wrapct", "cyshcn"):
        resources = map_record(program, raw(program))
        patient = next(r for r in resources if r["resourceType"] == "Patient")
        related = [r for r in resources if r["resourceType"] == "RelatedPerson"]
        members.append((from_patient(patient, related), patient))
    return golden_patient(GOLDEN, members)


def written() -> list[Any]:
    resources = [*derive(MATEO, mateo()), conflict(), golden()]
    return [pytest.param(r, id=f"{r['resourceType']}/{r['id']}") for r in resources]


@pytest.mark.hapi
@pytest.mark.parametrize("resource", written())
def test_what_the_shared_plan_writes_passes_hapi_validate(loaded: str, fhir: FhirClient,
                                                          resource: Any) -> None:
    outcome = fhir.validate(resource)
    errors = blocking(outcome) + unknown_local_codes(outcome)
    assert not errors, (f"HAPI $validate of {resource['resourceType']}/{resource['id']}:\n"
                        + "\n".join(errors))
