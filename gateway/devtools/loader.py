"""Loading fixture bundles, and OnePlan's conformance artefacts, into HAPI as transactions."""

from __future__ import annotations

import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from gateway.conformance import Conformance
from gateway.store import FhirStore, Principal
from vocabulary import transaction as tx
from vocabulary.data import package_dir
from vocabulary.errors import MalformedJson, ValidationFailed
from vocabulary.fhir import JSON
from vocabulary.outcome import issues_from_validation

FIXTURE_BUNDLES = package_dir("fixtures") / "bundles"


def read_bundle(path: Path) -> JSON:
    """A fixture Bundle as JSON, checked by its R4B model first."""
    try:
        data: JSON = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MalformedJson(f"{path.name}: {exc}") from exc
    try:
        Bundle.model_validate(data)
    except ValidationError as exc:
        issues = issues_from_validation(exc.errors(), root="Bundle")
        raise ValidationFailed(f"{path.name} is not a valid Bundle", issues=issues) from exc
    return data


def load_bundle(store: FhirStore, who: Principal, path: Path) -> JSON:
    """Post one transaction bundle; returns HAPI's transaction-response."""
    return store.transaction(who, read_bundle(path))


def fixture_paths() -> list[Path]:
    """The bundles `make run` loads (package data of `fixtures`), in name order."""
    return sorted(FIXTURE_BUNDLES.glob("*.json"))


def load_conformance(store: FhirStore, who: Principal,
                     conformance: Conformance | None = None) -> JSON:
    """PUT every artefact in `profiles/` (the Green Form, ValueSets, CodeSystems,
    NamingSystems) at its id, so HAPI can resolve and validate against them."""
    artefacts = (conformance or Conformance.load()).resources
    return store.transaction(who, tx.puts(dict(r) for r in artefacts))
