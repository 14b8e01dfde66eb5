"""Nothing lost, nothing applied twice: the outbox against a real HAPI (behind a recording
proxy that counts each transaction's sends and can stop listening), short runs of the
scenarios `bench/soak.py` runs at full size."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gateway.cli import app as cli
from gateway.db import Database
from gateway.db.outbox import Outbox
from gateway.db.schema import Entry
from gateway.devtools.durability import (
    check,
    crash_import,
    depth,
    fresh,
    kept_in_order,
    ndjson,
    oneplan,
    post_all,
    served,
    versions,
    wait_until,
)
from gateway.devtools.hapi import free_port
from gateway.devtools.loader import FIXTURE_BUNDLES, load_bundle
from gateway.devtools.proxy import RecordingProxy
from gateway.settings import Settings
from gateway.store import SYSTEM, FhirStore

SEED = 20261202


@pytest.fixture(scope="module")
def hapi(hapi_url: str) -> str:
    with FhirStore.at(hapi_url) as store:
        load_bundle(store, SYSTEM, FIXTURE_BUNDLES / "00-organizations.json")
    return hapi_url


@pytest.fixture
def proxy(hapi: str) -> Iterator[RecordingProxy]:
    front = RecordingProxy(hapi).start()
    yield front
    front.stop()


@pytest.fixture
def gateway(proxy: RecordingProxy) -> Iterator[str]:
    with served(Settings(hapi_url=proxy.url, port=free_port(), sync_wait_ms=300,
                         log_level="WARNING")) as base:
        yield base


def test_killed_imports_and_workers_leave_hapi_as_one_clean_import(
        hapi: str, proxy: RecordingProxy, tmp_path: Path, gateway_database: str) -> None:
    records = fresh("home", 200, skip=2000)
    path = ndjson(tmp_path / "home.ndjson", records)
    env = {"ONEPLAN_HAPI_URL": proxy.url, "ONEPLAN_LOG_LEVEL": "WARNING"}
    log = tmp_path / "oneplan.log"
    kills, status = crash_import("home", path, env, log, 2, random.Random(SEED))
    assert status == 0, log.read_text()[-3000:]
    assert kills == 2
    with FhirStore.at(hapi) as store:
        found = check(store, records)
    assert found.exact, (found.missing[:3], found.differing[:3], found.reversioned[:3])
    assert len(proxy.sends) == len(records)
    assert depth(gateway_database).queued == 0


def test_hapi_down_mid_import_refuses_nothing_and_everything_lands(
        hapi: str, proxy: RecordingProxy, gateway: str, gateway_database: str) -> None:
    records = fresh("wrapct", 120, skip=2000)
    before = post_all(gateway, records[:40])
    proxy.stop()
    during = post_all(gateway, records[40:80])
    time.sleep(5)
    proxy.start()
    back = time.monotonic()
    after = post_all(gateway, records[80:])
    assert set(before + after) <= {201, 202}
    assert set(during) == {202}
    wait_until(lambda: depth(gateway_database).queued == 0, 120)
    assert time.monotonic() - back < 60
    with FhirStore.at(hapi) as store:
        found = check(store, records)
    assert found.exact, (found.missing[:3], found.differing[:3], found.reversioned[:3])


def test_concurrent_intakes_for_the_same_children_all_land_in_order(
        hapi: str, gateway: str, gateway_database: str) -> None:
    children = fresh("home", 40, skip=2400)
    intakes = versions(children, 5)
    random.Random(SEED).shuffle(intakes)
    answers = post_all(gateway, intakes, threads=32)
    assert set(answers) <= {200, 201, 202}, sorted(set(answers))  # 200: a later version
    wait_until(lambda: depth(gateway_database).queued == 0, 180)
    assert depth(gateway_database).dead == 0
    with FhirStore.at(hapi) as store:
        found = check(store, kept_in_order(gateway_database))
    assert not found.missing, found.missing[:3]
    assert not found.differing, found.differing[:3]


def test_two_gateways_and_two_workers_on_one_postgresql_lose_nothing_and_keep_order(
        hapi: str, postgres_db: str, tmp_path: Path) -> None:
    env = {"ONEPLAN_HAPI_URL": hapi, "ONEPLAN_DATABASE_URL": postgres_db,
           "ONEPLAN_LOG_LEVEL": "WARNING", "ONEPLAN_SYNC_WAIT_MS": "300"}
    log, ports = tmp_path / "oneplan.log", [free_port(), free_port()]
    children = [oneplan(["serve"], {**env, "ONEPLAN_PORT": str(port)}, log) for port in ports]
    children += [oneplan(["worker"], env, log) for _ in range(2)]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        wait_until(lambda: all(_answers(base) for base in bases), 120)
        intakes = versions(fresh("home", 40, skip=2600), 5)
        random.Random(SEED).shuffle(intakes)
        halves = [intakes[0::2], intakes[1::2]]
        with ThreadPoolExecutor(2) as pool:
            answers = [a for part in pool.map(post_all, bases, halves) for a in part]
        # 201 for a child's first version, 200 for a later one that synced in the wait, 202
        # for any still queued then
        assert set(answers) <= {200, 201, 202}, sorted(set(answers))
        wait_until(lambda: depth(postgres_db).queued == 0, 300)
        assert depth(postgres_db).dead == 0
    finally:
        for child in children:
            child.terminate()
            child.wait(30)
    assert _in_order_per_child(postgres_db)
    with FhirStore.at(hapi) as store:
        found = check(store, kept_in_order(postgres_db))
    assert not found.missing, found.missing[:3]
    assert not found.differing, found.differing[:3]


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _in_order_per_child(url: str) -> bool:
    """Each child's entries were sent in the order they were accepted."""
    database = Database(url)
    try:
        with database.session() as session:
            rows = session.execute(select(Entry.child, Entry.id, Entry.sent_at)
                                   .order_by(Entry.child, Entry.id)).all()
    finally:
        database.close()
    last: dict[str, datetime] = {}
    for child, _, sent_at in rows:
        if sent_at is None or (child in last and sent_at < last[child]):
            return False
        last[child] = sent_at
    return len(last) == 40


def test_one_record_hapi_rejects_is_dead_lettered_and_the_others_land(
        hapi: str, proxy: RecordingProxy, tmp_path: Path, gateway_database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    records = fresh("cyshcn", 50, skip=2000)
    poison = records[17]
    proxy.poison = f'"{poison[1]["record_id"]}"'
    monkeypatch.setenv("ONEPLAN_HAPI_URL", proxy.url)
    path = ndjson(tmp_path / "cyshcn.ndjson", records)
    result = CliRunner().invoke(cli, ["import", "cyshcn", str(path), "--wait", "300"])
    assert result.exit_code == 1
    assert "50 accepted, 49 synced, 0 still queued, 1 failed" in result.output
    database = Database(gateway_database)
    try:
        [dead] = Outbox(database).dead()
        [kept] = [body for id_, _, body in Outbox(database).records() if id_ == dead.record_id]
    finally:
        database.close()
    assert kept == poison[1]
    assert dead.failure == 422
    assert "rejected by the recording proxy" in (dead.error or "")
    with FhirStore.at(hapi) as store:
        found = check(store, [r for r in records if r is not poison])
    assert found.exact, (found.missing[:3], found.differing[:3], found.reversioned[:3])
