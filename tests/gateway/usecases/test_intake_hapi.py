"""Intake and bulk import against the real local HAPI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gateway.app import create_app
from gateway.cli import app as cli
from gateway.devtools.golden import Case, copies
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore
from mappings.registry import map_record
from tests.mappings.helpers import INVALID, VALID, case_id
from vocabulary import transaction as tx

TYPES = sorted({r["resourceType"] for c in VALID for r in map_record(c.program, c.raw())})


@pytest.fixture(scope="module")
def gateway(hapi_url: str) -> Iterator[TestClient]:
    with FhirStore.at(hapi_url) as store:
        load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
    with TestClient(create_app(Settings(hapi_url=hapi_url))) as client:
        yield client


def counts(hapi_url: str) -> Counter[str]:
    return Counter({t: httpx.get(f"{hapi_url}/{t}", params={"_summary": "count"}).json()["total"]
                    for t in TYPES})


def versions(hapi_url: str, urls: list[str]) -> list[str]:
    return [httpx.get(f"{hapi_url}/{url}").json()["meta"]["versionId"] for url in urls]


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_valid_record_lands_once_and_rewriting_changes_nothing(
        gateway: TestClient, hapi_url: str, case: Case) -> None:
    urls = [tx.url(r) for r in map_record(case.program, case.raw())]
    first = gateway.post(f"/intake/{case.program}", json=case.raw())
    assert first.status_code == 201, first.text
    statuses = [e["response"]["status"] for e in first.json()["entry"]]
    assert statuses[:len(urls)] == ["201 Created"] * len(urls)
    before = counts(hapi_url)
    again = gateway.post(f"/intake/{case.program}", json=case.raw())
    assert again.status_code == 200, again.text
    assert counts(hapi_url) == before
    assert versions(hapi_url, urls) == ["1"] * len(urls)


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid_record_is_422_and_hapi_is_unchanged(
        gateway: TestClient, hapi_url: str, case: Case) -> None:
    before = counts(hapi_url)
    response = gateway.post(f"/intake/{case.program}", json=case.raw())
    assert response.status_code == 422
    assert response.json() == json.loads(case.expected.read_text(encoding="utf-8"))
    assert counts(hapi_url) == before


def test_cli_imports_1000_records_and_a_rerun_creates_no_duplicates(
        gateway: TestClient, hapi_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    records = copies("home", 1000)
    path = tmp_path / "home.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    # each copy is a child of its own: its golden Patient, shared plan, team and Provenance too
    child = Counter({"Patient": 1, "CarePlan": 1, "CareTeam": 1, "Provenance": 1})
    expected = sum((Counter(r["resourceType"] for r in map_record("home", rec)) + child
                    for rec in records), Counter())
    expected = Counter({t: n for t, n in expected.items() if t in TYPES})
    monkeypatch.setenv("ONEPLAN_HAPI_URL", hapi_url)
    monkeypatch.setenv("COLUMNS", "400")
    before = counts(hapi_url)
    first = CliRunner().invoke(cli, ["import", "home", str(path)])
    assert first.exit_code == 0, first.output
    assert "Synced to HAPI" in first.output
    assert "1000 records: 1000 accepted, 1000 synced, 0 still queued, 0 failed" in first.output
    assert counts(hapi_url) == before + expected
    second = CliRunner().invoke(cli, ["import", "home", str(path)])
    assert second.exit_code == 0, second.output
    assert "1000 accepted (1000 kept by an earlier run)" in second.output
    assert "resources: 0 created, 0 updated" in second.output
    assert counts(hapi_url) == before + expected


def test_cli_reports_bad_lines_and_exits_1(gateway: TestClient, hapi_url: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    good, bad = copies("wrapct", 2)
    bad["family_vision"] = ""
    path = tmp_path / "wrapct.ndjson"
    path.write_text(f"{json.dumps(good)}\n{{oops\n{json.dumps(bad)}\n", encoding="utf-8")
    monkeypatch.setenv("ONEPLAN_HAPI_URL", hapi_url)
    monkeypatch.setenv("COLUMNS", "400")
    result = CliRunner().invoke(cli, ["import", "wrapct", str(path)])
    assert result.exit_code == 1
    assert "3 records: 1 accepted, 1 synced, 0 still queued, 2 failed" in result.output
    assert f"{path}:2 " in result.output
    assert f"{path}:3 " in result.output
    assert gateway.get("/readyz").status_code == 200
