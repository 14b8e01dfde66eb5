"""`oneplan import` through the outbox: every good record is kept and queued, a worker here
syncs them, and when HAPI does not answer the command says where it looked and that the
records wait, kept, for the worker."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.devtools.golden import copies
from gateway.devtools.hapi import free_port
from tests.mappings.helpers import VALID

HOME = [case.raw() for case in VALID if case.program == "home"]


def records(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "home.ndjson"
    rows = [*HOME, *copies("home", count)][:count]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def queued(url: str) -> int:
    database = Database(url)
    try:
        return Outbox(database).depth().queued
    finally:
        database.close()


def test_nothing_listening_keeps_the_records_queued_and_names_the_url(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gateway_database: str) -> None:
    port = free_port()
    monkeypatch.setenv("ONEPLAN_HAPI_PORT", str(port))
    monkeypatch.setenv("ONEPLAN_HAPI_RETRIES", "0")
    result = CliRunner().invoke(cli, ["import", "home", str(records(tmp_path, 3)),
                                      "--wait", "1"])
    assert result.exit_code == 1
    assert "3 records: 3 accepted, 0 synced, 3 still queued, 0 failed" in result.output
    assert f"HAPI at http://127.0.0.1:{port}/fhir has not taken them" in result.output
    assert "ONEPLAN_HAPI_PORT" in result.output
    assert queued(gateway_database) == 3


def test_records_hapi_takes_are_synced_and_counted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gateway_database: str) -> None:
    hapi = "http://hapi.test/fhir"
    monkeypatch.setenv("ONEPLAN_HAPI_URL", hapi)

    def written(request: httpx.Request) -> httpx.Response:
        entries = [{"response": {"status": "201 Created"}}
                   for _ in json.loads(request.content)["entry"]]
        return httpx.Response(200, json={"resourceType": "Bundle",
                                         "type": "transaction-response", "entry": entries})
    with respx.mock:
        route = respx.post(hapi).mock(side_effect=written)
        result = CliRunner().invoke(cli, ["import", "home", str(records(tmp_path, 8))])
    assert result.exit_code == 0, result.output
    assert "8 records: 8 accepted, 8 synced, 0 still queued, 0 failed" in result.output
    assert route.call_count == 8
    assert queued(gateway_database) == 0
