"""Every resource that a valid fixture record maps to passes the real HAPI's `$validate`.

Before validating, the module loads what the resources point at: the CAST Organizations
(`fixtures/bundles/00-organizations.json`) and OnePlan's CodeSystems and NamingSystems from
`profiles/`, so that HAPI knows the local codes and identifier systems.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.namingsystem import NamingSystem
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource

from consent.codes import ONEPLAN_BASE
from gateway.devtools.golden import cases
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle
from gateway.store import SYSTEM, FhirStore
from gateway.store.client import FhirClient
from mappings.registry import map_record
from vocabulary.data import PROFILES

BLOCKING = frozenset({"error", "fatal"})
LOCAL_CODE_SYSTEMS = f"{ONEPLAN_BASE}/CodeSystem/"
CONFORMANCE: dict[str, type[Resource]] = {"CodeSystem": CodeSystem, "NamingSystem": NamingSystem}


def _mapped() -> Iterator[Any]:
    for case in cases():
        if case.valid:
            for resource in map_record(case.program, case.raw()):
                name = f"{case.name}:{resource['resourceType']}/{resource['id']}"
                yield pytest.param(resource, id=name)


MAPPED = list(_mapped())


def conformance_resources() -> list[Path]:
    """OnePlan's CodeSystems and NamingSystems."""
    return sorted([*PROFILES.glob("codesystems/*.json"), *PROFILES.glob("namingsystems/*.json")])


@pytest.fixture(scope="module")
def loaded(hapi_url: str) -> str:
    with FhirClient(hapi_url, timeout=60.0) as client, FhirStore.at(hapi_url) as store:
        load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
        for path in conformance_resources():
            document = json.loads(path.read_text(encoding="utf-8"))
            client.update(CONFORMANCE[document["resourceType"]].model_validate(document))
        # HAPI builds its validation support on the first $validate; warm it up with a long
        # timeout so the tests' own client does not time out on it.
        client.validate(MAPPED[0].values[0])
    return hapi_url


def describe(issue: Any) -> str:
    where = ", ".join(str(w) for w in issue.expression or issue.location or [])
    return f"{issue.severity} [{where}] {issue.diagnostics}"


def blocking(outcome: OperationOutcome) -> list[str]:
    return [describe(i) for i in outcome.issue or [] if i.severity in BLOCKING]


def unknown_local_codes(outcome: OperationOutcome) -> list[str]:
    """Issues saying a code of a OnePlan CodeSystem is not in it. HAPI reports them only as
    warnings where the binding is not required, but a mapping must never emit one."""
    return [describe(i) for i in outcome.issue or []
            if LOCAL_CODE_SYSTEMS in (text := i.diagnostics or "")
            and "not found in CodeSystem" in text]


def test_an_unknown_local_code_counts_even_as_a_warning() -> None:
    unknown = (f"Unable to validate code {LOCAL_CODE_SYSTEMS}ei-service-setting#nope - Code is "
               f"not found in CodeSystem: {LOCAL_CODE_SYSTEMS}ei-service-setting")
    outcome = OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [
        {"severity": "warning", "code": "processing", "diagnostics": unknown},
        {"severity": "warning", "code": "processing", "diagnostics": "dom-6"}]})
    assert unknown_local_codes(outcome) == [f"warning [] {unknown}"]


def test_every_program_has_valid_fixtures() -> None:
    programs = {p.id.split("/")[0] for p in MAPPED if p.id}
    assert programs == {"birth-to-three", "cyshcn", "help-me-grow", "home", "wrapct"}


@pytest.mark.parametrize("resource", MAPPED)
def test_mapped_resource_passes_hapi_validate(loaded: str, fhir: FhirClient,
                                              resource: Any) -> None:
    outcome = fhir.validate(resource)
    errors = blocking(outcome) + unknown_local_codes(outcome)
    assert not errors, (f"HAPI $validate of {resource['resourceType']}/{resource['id']}:\n"
                        + "\n".join(errors))
