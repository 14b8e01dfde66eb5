"""The bulk importer: batching, falling back to single records, and what it reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.cli.record_files import SourceRecord
from gateway.devtools.golden import copies
from gateway.store import SYSTEM, FhirStore
from gateway.store.retry import RetryPolicy
from gateway.usecases.importer import Importer
from tests.mappings.helpers import VALID
from vocabulary.errors import NotFound, ServerUnavailable

HAPI = "http://hapi.test/fhir"
HOME = [case.raw() for case in VALID if case.program == "home"]


@pytest.fixture
def store() -> Iterator[FhirStore]:
    with FhirStore.at(HAPI, retry=RetryPolicy(attempts=0)) as door:
        yield door


def sources(*records: Any) -> list[SourceRecord]:
    return [SourceRecord(Path("home.ndjson"), n, data) for n, data in enumerate(records, 1)]


def accept_unless(poison: str) -> Any:
    """HAPI stand-in: a transaction holding `poison` anywhere is rejected with 400."""
    def answer(request: httpx.Request) -> httpx.Response:
        if poison in request.content.decode():
            return httpx.Response(400, json={"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "processing", "diagnostics": "rejected"}]})
        entries = [{"response": {"status": "201 Created"}}
                   for _ in json.loads(request.content)["entry"]]
        return httpx.Response(200, json={"resourceType": "Bundle",
                                         "type": "transaction-response", "entry": entries})
    return answer


@respx.mock
def test_good_records_go_in_batches(store: FhirStore) -> None:
    hapi = respx.post(HAPI).mock(side_effect=accept_unless("NO-SUCH-MARKER"))
    records = sources(*HOME, *copies("home", 5))
    report = Importer(store, SYSTEM, "home", batch_size=4).run(records)
    assert (report.records, report.imported, report.failures) == (len(records), len(records), [])
    assert hapi.call_count == -(-len(records) // 4)
    assert report.created == sum(len(json.loads(c.request.content)["entry"]) for c in hapi.calls)


@respx.mock
def test_bad_records_are_reported_with_their_line_and_the_rest_imported(
        store: FhirStore) -> None:
    respx.post(HAPI).mock(side_effect=accept_unless("NO-SUCH-MARKER"))
    broken = {**HOME[0], "record_id": "HOME-2026-0999", "unknown_field": 1}
    records = [*sources(HOME[0], broken, HOME[1]),
               SourceRecord(Path("home.ndjson"), 4, error="not valid JSON: Expecting value")]
    report = Importer(store, SYSTEM, "home").run(records)
    assert report.imported == 2
    assert [(f.where, [i.expression for i in f.issues]) for f in report.failures] == [
        ("home.ndjson:2", ["unknown_field"]), ("home.ndjson:4", [None])]


@respx.mock
def test_a_rejected_batch_is_retried_record_by_record(store: FhirStore) -> None:
    respx.post(HAPI).mock(side_effect=accept_unless("HOME-2026-0998"))
    records = sources(HOME[0], {**HOME[0], "record_id": "HOME-2026-0998"}, HOME[1])
    report = Importer(store, SYSTEM, "home", batch_size=10).run(records)
    assert report.imported == 2
    assert [(f.where, f.issues[0].diagnostics) for f in report.failures] == [
        ("home.ndjson:2", "FHIR server answered 400: rejected")]


@respx.mock
def test_hapi_down_stops_the_import(store: FhirStore) -> None:
    respx.post(HAPI).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ServerUnavailable):
        Importer(store, SYSTEM, "home").run(sources(HOME[0]))


def test_unknown_program_is_refused_before_reading(store: FhirStore) -> None:
    with pytest.raises(NotFound):
        Importer(store, SYSTEM, "head-start")


def test_cli_refuses_an_unknown_program_before_touching_hapi(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "records.ndjson"
    path.write_text(json.dumps(HOME[0]) + "\n", encoding="utf-8")
    monkeypatch.setenv("ONEPLAN_HAPI_URL", HAPI)
    with respx.mock:
        hapi = respx.route(url__startswith=HAPI).respond(500)
        result = CliRunner().invoke(cli, ["import", "head-start", str(path)])
    assert result.exit_code == 1
    assert "Unknown program 'head-start'" in result.output
    assert not hapi.called
