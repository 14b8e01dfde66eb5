"""`oneplan db upgrade`, `oneplan outbox status|retry|drain` and `oneplan replay`, on the
test's own SQLite database, with HAPI faked at the transport."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.db import Database
from gateway.db.outbox import Outbox
from tests.mappings.helpers import VALID

HAPI = "http://hapi.test/fhir"
HOME = [case.raw() for case in VALID if case.program == "home"]


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPLAN_HAPI_URL", HAPI)
    monkeypatch.setenv("ONEPLAN_HAPI_RETRIES", "0")


@pytest.fixture
def hapi() -> Iterator[respx.Route]:
    def written(request: httpx.Request) -> httpx.Response:
        if b"HOME-2026-0998" in request.content:
            return httpx.Response(422, json={"resourceType": "OperationOutcome", "issue": [
                {"severity": "error", "code": "processing", "diagnostics": "bad resource"}]})
        entries = [{"response": {"status": "201 Created"}}
                   for _ in json.loads(request.content)["entry"]]
        return httpx.Response(200, json={"resourceType": "Bundle",
                                         "type": "transaction-response", "entry": entries})
    with respx.mock:
        yield respx.post(HAPI).mock(side_effect=written)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def imported(tmp_path: Path, *records: dict[str, object]) -> None:
    path = tmp_path / "home.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run("import", "home", str(path), "--wait", "10")


def entries(url: str) -> dict[str, int]:
    database = Database(url)
    try:
        depth = Outbox(database).depth()
        return {"queued": depth.queued, "dead": depth.dead}
    finally:
        database.close()


def test_db_upgrade_names_the_database_and_its_revision(gateway_database: str) -> None:
    code, output = run("db", "upgrade")
    assert code == 0
    assert f"database {gateway_database} is at schema revision 0002" in output.replace("\n", "")


def test_outbox_status_lists_dead_letters_and_retry_queues_them_again(
        hapi: respx.Route, tmp_path: Path, gateway_database: str) -> None:
    imported(tmp_path, HOME[0], {**HOME[0], "record_id": "HOME-2026-0998"})
    code, output = run("outbox", "status")
    assert code == 1
    assert "dead: 1" in output
    assert "bad resource" in output
    code, output = run("outbox", "retry", "--dead")
    assert (code, entries(gateway_database)) == (0, {"queued": 1, "dead": 0})
    assert "1 entry queued again" in output
    code, output = run("outbox", "drain", "--wait", "10")
    assert code == 1
    assert "0 sent, 1 dead, 0 still queued" in output


def test_retry_without_ids_or_dead_is_a_usage_error(gateway_database: str) -> None:
    code, output = run("outbox", "retry")
    assert code == 2
    assert "--dead" in output


def test_replay_sends_the_kept_records_again(hapi: respx.Route, tmp_path: Path) -> None:
    imported(tmp_path, *HOME)
    sent = hapi.call_count
    code, output = run("replay", "--program", "home", "--wait", "10")
    assert code == 0, output
    assert f"{len(HOME)} records: {len(HOME)} writes queued, 0 no longer map" in output
    assert hapi.call_count == sent + len(HOME)


def test_replay_since_a_later_date_sends_nothing(hapi: respx.Route, tmp_path: Path) -> None:
    imported(tmp_path, *HOME)
    code, output = run("replay", "--since", "2999-01-01")
    assert code == 0, output
    assert "0 records: 0 writes queued" in output


def test_replay_refuses_an_unknown_kind(gateway_database: str) -> None:
    code, output = run("replay", "--program", "head-start")
    assert code == 2
    assert "head-start" in output
