"""The gateway and the CLI against the real local HAPI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gateway.app import create_app
from gateway.cli import app as cli
from gateway.devtools.loader import fixture_paths, read_bundle
from gateway.settings import Settings
from gateway.store.client import FhirClient


def test_readyz_reports_the_real_hapi(hapi_url: str) -> None:
    with TestClient(create_app(Settings(hapi_url=hapi_url))) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["hapi"]["software"]["name"].startswith("HAPI FHIR")


def test_fixtures_load_puts_the_bundle_into_hapi(hapi_url: str, fhir: FhirClient,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPLAN_HAPI_URL", hapi_url)
    for _ in range(2):
        result = CliRunner().invoke(cli, ["fixtures", "load"])
        assert result.exit_code == 0, result.output
    npi = "http://hl7.org/fhir/sid/us-npi|1467558921"
    orgs = fhir.search_all("Organization", {"identifier": npi})
    assert len(orgs) == 1


@pytest.mark.parametrize("path", fixture_paths(), ids=lambda p: p.name)
def test_every_fixture_resource_passes_validate(fhir: FhirClient, path: Path) -> None:
    resources = [e["resource"] for e in read_bundle(path)["entry"]]
    assert resources
    for resource in resources:
        outcome = fhir.validate(resource)
        errors = [i.diagnostics for i in outcome.issue if i.severity in ("error", "fatal")]
        assert not errors, f"{resource['resourceType']}: {errors}"
