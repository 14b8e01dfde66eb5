"""The generated Green Form artefacts pass the real HAPI's `$validate` with no error or fatal
issue. The CodeSystems and ValueSets are PUT first, so HAPI knows the local codes and the
Questionnaire's answer ValueSets.

HAPI reports a wrong display or an unknown code of a OnePlan CodeSystem only as a warning; here
those count as errors too. (It does not check the codes of a ValueSet's compose at all:
test_questionnaire.py does.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.valueset import ValueSet

from consent.codes import ONEPLAN_BASE
from gateway.store.client import FhirClient
from tests.profiles.artefacts import GENERATED, QUESTIONNAIRE, generated_paths, read

BLOCKING = frozenset({"error", "fatal"})
LOCAL_CODE_SYSTEMS = f"{ONEPLAN_BASE}/CodeSystem/"
TERMINOLOGY: dict[str, type[Resource]] = {"CodeSystem": CodeSystem, "ValueSet": ValueSet}
PATHS = generated_paths()


@pytest.fixture(scope="module")
def loaded(hapi_url: str) -> str:
    with FhirClient(hapi_url, timeout=60.0) as client:
        for document in map(read, PATHS):
            if document["resourceType"] in TERMINOLOGY:
                client.update(TERMINOLOGY[document["resourceType"]].model_validate(document))
        # HAPI builds its validation support on the first $validate; give that one time.
        client.validate(read(GENERATED / QUESTIONNAIRE))
    return hapi_url


def describe(issue: Any) -> str:
    where = ", ".join(str(w) for w in issue.expression or issue.location or [])
    return f"{issue.severity} [{where}] {issue.diagnostics}"


def blocks(issue: Any) -> bool:
    return issue.severity in BLOCKING or LOCAL_CODE_SYSTEMS in (issue.diagnostics or "")


def report(outcome: OperationOutcome) -> tuple[list[str], list[str]]:
    """(blocking issues, every other issue)."""
    issues = outcome.issue or []
    return ([describe(i) for i in issues if blocks(i)],
            [describe(i) for i in issues if not blocks(i)])


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_generated_resource_passes_hapi_validate(loaded: str, fhir: FhirClient,
                                                 path: Path) -> None:
    errors, others = report(fhir.validate(read(path)))
    assert not errors, (f"HAPI $validate of {path.name}:\n" + "\n".join(errors)
                        + "\nother issues:\n" + "\n".join(others))


def test_a_wrong_display_of_a_local_code_blocks_even_as_a_warning() -> None:
    wrong = (f"Concept Display \"Nope\" does not match expected \"Referral: PCP to behavioral "
             f"health\" for '{LOCAL_CODE_SYSTEMS}green-form-part#referral'")
    outcome = OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [
        {"severity": "warning", "code": "processing", "diagnostics": wrong},
        {"severity": "warning", "code": "invariant", "diagnostics": "dom-6"}]})
    assert report(outcome) == ([f"warning [] {wrong}"], ["warning [] dom-6"])
