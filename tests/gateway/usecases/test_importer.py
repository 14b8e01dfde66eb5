"""The bulk importer: every good record kept and queued, bad ones reported where they are, and
what the worker then syncs or dead-letters."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.cli.record_files import SourceRecord
from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.db.schema import QUEUED
from gateway.devtools.golden import copies
from gateway.store import SYSTEM, FhirStore
from gateway.store.retry import RetryPolicy
from gateway.store.worker import Backoff, Worker
from gateway.usecases.importer import Importer, ImportReport
from tests.mappings.helpers import VALID
from vocabulary.errors import NotFound

HAPI = "http://hapi.test/fhir"
HOME = [case.raw() for case in VALID if case.program == "home"]


@pytest.fixture
def store(gateway_database: str) -> Iterator[FhirStore]:
    database = Database(gateway_database)
    database.upgrade()
    with FhirStore.at(HAPI, Outbox(database), retry=RetryPolicy(attempts=0)) as door:
        yield door
    database.close()


def synced(store: FhirStore, report: ImportReport, backoff: Backoff | None = None) -> None:
    """Run a worker until every accepted entry is sent or dead."""
    worker = Worker(store, store.outbox, {}, concurrency=2, backoff=backoff)
    pending = set(report.accepted)

    def settled() -> bool:
        done = [s for s in store.outbox.status(sorted(pending)) if s.state != QUEUED]
        report.settle(done)
        pending.difference_update(s.id for s in done)
        return not pending
    worker.drain(settled)
    worker.stop()


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
def test_good_records_are_kept_queued_and_synced_one_transaction_each(store: FhirStore) -> None:
    hapi = respx.post(HAPI).mock(side_effect=accept_unless("NO-SUCH-MARKER"))
    records = sources(*HOME, *copies("home", 5))
    report = Importer(store, SYSTEM, "home").accept(records)
    assert (report.records, len(report.accepted), report.failures) == (len(records),
                                                                       len(records), [])
    assert not hapi.called
    synced(store, report)
    assert (report.synced, report.queued) == (len(records), 0)
    assert hapi.call_count == len(records)
    assert report.created == sum(len(json.loads(c.request.content)["entry"]) for c in hapi.calls)


@respx.mock
def test_bad_records_are_reported_with_their_line_and_the_rest_kept(store: FhirStore) -> None:
    respx.post(HAPI).mock(side_effect=accept_unless("NO-SUCH-MARKER"))
    broken = {**HOME[0], "record_id": "HOME-2026-0999", "unknown_field": 1}
    records = [*sources(HOME[0], broken, HOME[1]),
               SourceRecord(Path("home.ndjson"), 4, error="not valid JSON: Expecting value")]
    report = Importer(store, SYSTEM, "home").accept(records)
    assert sorted(report.accepted.values()) == ["home.ndjson:1", "home.ndjson:3"]
    assert [(f.where, [i.expression for i in f.issues]) for f in report.failures] == [
        ("home.ndjson:2", ["unknown_field"]), ("home.ndjson:4", [None])]
    assert len(store.outbox.records()) == 2


@respx.mock
def test_a_record_hapi_rejects_is_dead_lettered_and_the_others_land(store: FhirStore) -> None:
    respx.post(HAPI).mock(side_effect=accept_unless("HOME-2026-0998"))
    records = sources(HOME[0], {**HOME[0], "record_id": "HOME-2026-0998"}, HOME[1])
    report = Importer(store, SYSTEM, "home").accept(records)
    synced(store, report)
    assert (report.synced, report.dead, report.queued) == (2, 1, 0)
    [dead] = store.outbox.dead()
    assert report.accepted[dead.id] == "home.ndjson:2"
    assert dead.failure == 422
    assert "rejected" in json.dumps(dead.answer)
    assert [f.issues[0].diagnostics for f in report.failures] == [
        "FHIR server answered 400: rejected"]


@respx.mock
def test_hapi_down_loses_nothing_and_the_records_land_when_it_is_back(store: FhirStore) -> None:
    hapi = respx.post(HAPI).mock(side_effect=httpx.ConnectError("refused"))
    report = Importer(store, SYSTEM, "home").accept(sources(*HOME))
    worker = Worker(store, store.outbox, {}, backoff=Backoff(base=0.02, cap=0.05))
    for _ in range(3):
        worker.run_once()
        time.sleep(0.06)
    assert {s.state for s in store.outbox.status(list(report.accepted))} == {QUEUED}
    assert hapi.call_count >= 3
    hapi.side_effect = accept_unless("NO-SUCH-MARKER")
    worker.stop()
    synced(store, report)
    assert (report.synced, report.failures) == (len(HOME), [])


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


@respx.mock
def test_importing_again_follows_the_kept_records_instead_of_queueing_them_again(
        store: FhirStore) -> None:
    hapi = respx.post(HAPI).mock(side_effect=accept_unless("HOME-2026-0998"))
    records = sources(HOME[0], {**HOME[0], "record_id": "HOME-2026-0998"})
    first = Importer(store, SYSTEM, "home").accept(records)
    synced(store, first)
    again = Importer(store, SYSTEM, "home").accept(records)
    assert again.already == 1
    [kept] = [e for e, where in first.accepted.items() if where == "home.ndjson:1"]
    assert kept in again.accepted
    assert len(store.outbox.records()) == 3
    synced(store, again)
    assert hapi.call_count == 3
