"""The sync worker against a fake HAPI at the transport: what it does with each kind of
answer, on both databases, with a pinned clock so due times can be read exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import respx

from gateway.db import Database
from gateway.db.outbox import Outbox, Write
from gateway.db.schema import DEAD, QUEUED, SENT
from gateway.store import FhirStore
from gateway.store.retry import RetryPolicy
from gateway.store.worker import Backoff, Worker
from tests.gateway.db.conftest import Clock, due_at

HAPI = "http://hapi.test/fhir"
OK = {"resourceType": "Bundle", "type": "transaction-response",
      "entry": [{"response": {"status": "200 OK"}}]}


def bundle(marker: str) -> dict[str, object]:
    return {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": {"resourceType": "Patient", "id": marker},
         "request": {"method": "PUT", "url": f"Patient/{marker}"}}]}


def outcome(diagnostics: str) -> dict[str, object]:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "processing", "diagnostics": diagnostics}]}


@pytest.fixture
def hapi() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
def worker(database: Database, clock: Clock) -> Iterator[Worker]:
    with FhirStore.at(HAPI, Outbox(database, now=clock), retry=RetryPolicy(attempts=0)) as store:
        worker = Worker(store, store.outbox, {}, concurrency=2)
        yield worker
        worker.stop()


def accept(worker: Worker, *children: str) -> list[int]:
    return worker.outbox.accept("home", {"n": 1}, "t",
                                [Write(c, bundle(c.split("/")[-1])) for c in children])


def test_a_429_waits_as_long_as_retry_after_says(worker: Worker, hapi: respx.MockRouter,
                                                  database: Database, clock: Clock) -> None:
    route = hapi.post(HAPI).mock(return_value=httpx.Response(429, headers={"Retry-After": "1"}))
    [entry] = accept(worker, "Patient/a")
    assert worker.run_once() == 1
    [status] = worker.outbox.status([entry])
    assert (status.state, status.attempts, "429" in (status.error or "")) == (QUEUED, 1, True)
    assert due_at(database, entry) == clock() + timedelta(seconds=1)
    clock.advance(0.5)
    assert worker.run_once() == 0
    route.mock(return_value=httpx.Response(200, json=OK))
    clock.advance(0.5)
    assert worker.run_once() == 1
    [status] = worker.outbox.status([entry])
    assert (status.state, status.sent, status.answer) == (SENT, bundle("a"), OK)


def test_a_400_dead_letters_that_entry_and_the_rest_goes_on(
        worker: Worker, hapi: respx.MockRouter) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if "bad" in request.content.decode():
            return httpx.Response(400, json=outcome("HAPI-0450: bad gender"))
        return httpx.Response(200, json=OK)
    hapi.post(HAPI).mock(side_effect=answer)
    bad, after, other = worker.outbox.accept("home", {"n": 1}, "t", [
        Write("Patient/a", bundle("bad")), Write("Patient/a", bundle("fixed")),
        Write("Patient/b", bundle("other"))])
    while worker.run_once():
        pass
    dead, sent, fine = worker.outbox.status([bad, after, other])
    assert (dead.state, dead.failure, dead.attempts) == (DEAD, 422, 1)
    assert dead.answer is not None
    assert dead.answer["resourceType"] == "OperationOutcome"
    assert "HAPI-0450: bad gender" in json.dumps(dead.answer)
    assert "400" in (dead.error or "")
    assert (sent.state, fine.state) == (SENT, SENT)
    assert [s.id for s in worker.outbox.dead()] == [bad]


def test_a_version_conflict_is_sent_again_after_a_jittered_backoff(
        worker: Worker, hapi: respx.MockRouter, database: Database, clock: Clock) -> None:
    route = hapi.post(HAPI).mock(side_effect=[
        httpx.Response(409, json=outcome("HAPI-0550: version conflict")),
        httpx.Response(200, json=OK)])
    [entry] = accept(worker, "Patient/a")
    assert worker.run_once() == 1
    [status] = worker.outbox.status([entry])
    assert (status.state, "409" in (status.error or "")) == (QUEUED, True)
    wait = (due_at(database, entry) - clock()).total_seconds()
    assert 0.25 <= wait <= 0.5  # first attempt: between half the base (0.5 s) and the base
    clock.advance(0.5)
    assert worker.run_once() == 1
    assert worker.outbox.status([entry])[0].state == SENT
    assert route.call_count == 2


def test_after_max_attempts_a_server_error_dead_letters(
        worker: Worker, hapi: respx.MockRouter, database: Database, clock: Clock) -> None:
    backoff = Backoff()
    hapi.post(HAPI).mock(return_value=httpx.Response(500, json=outcome("boom")))
    [entry] = accept(worker, "Patient/a")
    for attempt in range(1, backoff.max_attempts):
        assert worker.run_once() == 1
        [status] = worker.outbox.status([entry])
        assert (status.state, status.attempts) == (QUEUED, attempt)
        ceiling = min(backoff.cap, backoff.base * 2 ** (attempt - 1))
        wait = (due_at(database, entry) - clock()).total_seconds()
        assert ceiling / 2 <= wait <= ceiling
        clock.advance(ceiling)
    assert worker.run_once() == 1
    [status] = worker.outbox.status([entry])
    assert (status.state, status.attempts, status.failure) == (DEAD, backoff.max_attempts, 502)


def test_hapi_unreachable_never_dead_letters(
        worker: Worker, hapi: respx.MockRouter, clock: Clock) -> None:
    route = hapi.post(HAPI).mock(side_effect=httpx.ConnectError("connection refused"))
    [entry] = accept(worker, "Patient/a")
    for _ in range(Backoff().max_attempts + 3):
        assert worker.run_once() == 1
        clock.advance(Backoff().cap)
    [status] = worker.outbox.status([entry])
    assert (status.state, status.attempts) == (QUEUED, Backoff().max_attempts + 3)
    assert "unreachable" in (status.error or "")
    route.mock(side_effect=None, return_value=httpx.Response(200, json=OK))
    assert worker.run_once() == 1
    assert worker.outbox.status([entry])[0].state == SENT
