"""`oneplan import` when HAPI is not where the settings say: the error names the URL it tried,
and the progress bar stops where the import stopped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.devtools.golden import copies
from gateway.devtools.hapi import free_port
from tests.mappings.helpers import VALID

HOME = [case.raw() for case in VALID if case.program == "home"]


def records(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "home.ndjson"
    rows = [*HOME, *copies("home", count)][:count]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def percent(output: str) -> int:
    [shown] = re.findall(r"(\d+)%", output)[-1:]
    return int(shown)


def test_nothing_listening_names_the_url_and_stops_the_bar_at_zero(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("ONEPLAN_HAPI_PORT", str(port))
    monkeypatch.setenv("ONEPLAN_HAPI_RETRIES", "0")
    result = CliRunner().invoke(cli, ["import", "home", str(records(tmp_path, 3))])
    assert result.exit_code == 1
    assert f"http://127.0.0.1:{port}/fhir" in result.output
    assert "ONEPLAN_HAPI_PORT" in result.output
    assert percent(result.output) == 0
    assert "stopped after 0 of 3" in result.output


def test_hapi_failing_midway_stops_the_bar_after_the_written_batches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hapi = "http://hapi.test/fhir"
    monkeypatch.setenv("ONEPLAN_HAPI_URL", hapi)
    monkeypatch.setenv("ONEPLAN_HAPI_RETRIES", "0")
    written = httpx.Response(200, json={"resourceType": "Bundle", "type": "transaction-response",
                                        "entry": []})
    with respx.mock:
        respx.post(hapi).mock(side_effect=[written, httpx.ConnectError("refused")])
        result = CliRunner().invoke(cli, ["import", "home", str(records(tmp_path, 8)),
                                          "--batch-size", "4"])
    assert result.exit_code == 1
    assert f"unreachable at {hapi}" in result.output
    assert "stopped after 4 of 8" in result.output
    assert percent(result.output) == 50
