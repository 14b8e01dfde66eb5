"""Loading fixture bundles, and OnePlan's conformance artefacts, into HAPI as transactions."""

from __future__ import annotations

import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from gateway.client import FhirClient
from gateway.conformance import Conformance
from gateway.errors import MalformedJson, ValidationFailed
from gateway.outcome import issues_from_validation

FIXTURE_BUNDLES = Path(__file__).resolve().parent.parent / "fixtures" / "bundles"


def read_bundle(path: Path) -> Bundle:
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise MalformedJson(f"{path.name}: {exc}") from exc
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        issues = issues_from_validation(exc.errors(), root="Bundle")
        raise ValidationFailed(f"{path.name} is not a valid Bundle", issues=issues) from exc


def load_bundle(client: FhirClient, path: Path) -> Bundle:
    """Post one transaction bundle; returns HAPI's transaction-response."""
    return client.transaction(read_bundle(path))


def fixture_paths() -> list[Path]:
    return sorted(FIXTURE_BUNDLES.glob("*.json"))


def load_conformance(client: FhirClient, conformance: Conformance | None = None) -> Bundle:
    """PUT every artefact in `profiles/` (the Green Form, ValueSets, CodeSystems,
    NamingSystems) at its id, so HAPI can resolve and validate against them."""
    resources = (conformance or Conformance.load()).resources
    return client.transaction(Bundle.model_validate({
        "resourceType": "Bundle", "type": "transaction",
        "entry": [{"resource": r, "request": {"method": "PUT",
                                               "url": f"{r['resourceType']}/{r['id']}"}}
                  for r in resources]}))
