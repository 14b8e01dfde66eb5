"""`GET /metrics`: requests by route template, the outbox's gauges and the worker's sends, in the
Prometheus text format; HAPI faked at the transport."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import respx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError

from gateway.app import create_app
from gateway.db.outbox import Depth
from gateway.http.metrics import Metrics
from gateway.settings import Settings
from tests.gateway.routers.test_intake_route import transaction_response
from tests.mappings.helpers import VALID

HAPI = "http://hapi.test/fhir"
NOON = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
Labels = tuple[tuple[str, str], ...]


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(hapi_url=HAPI, hapi_retries=0, log_format="console",
                              sync_wait_ms=200))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def samples(exposition: str) -> dict[tuple[str, Labels], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(exposition) for s in family.samples}


def scrape(client: TestClient) -> dict[tuple[str, Labels], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    return samples(response.text)


def until(client: TestClient, name: str, labels: Labels = (),
          seconds: float = 10.0) -> dict[tuple[str, Labels], float]:
    """Scrape until `name{labels}` is above 0 (the worker sends in its own thread)."""
    deadline = time.monotonic() + seconds
    while (found := scrape(client)).get((name, labels), 0.0) <= 0:
        assert time.monotonic() < deadline, (name, labels)
        time.sleep(0.05)
    return found


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    client.get("/healthz")
    client.get(f"/intake/{VALID[0].program}/schema")
    client.get("/intake/head-start/schema")
    client.get("/no/such/path")
    client.get("/metrics")
    response = client.get("/metrics")
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    found = samples(response.text)

    def requests(route: str, status: str) -> float:
        labels = (("method", "GET"), ("route", route), ("status", status))
        return found[("oneplan_http_requests_total", labels)]

    assert requests("/healthz", "200") == 1
    assert requests("/intake/{program}/schema", "200") == 1
    assert requests("/intake/{program}/schema", "404") == 1
    assert requests("unmatched", "404") == 1
    assert requests("/metrics", "200") == 1
    count = (("method", "GET"), ("route", "/healthz"))
    assert found[("oneplan_http_request_duration_seconds_count", count)] == 1
    assert not any("head-start" in str(labels) or "/no/such" in str(labels)
                   for _, labels in found)


@respx.mock
def test_entries_accepted_while_hapi_is_down_show_in_the_outbox_gauges(
        client: TestClient) -> None:
    respx.post(HAPI).mock(side_effect=httpx.ConnectError("refused"))
    response = client.post(f"/intake/{VALID[0].program}", json=VALID[0].raw())
    assert response.status_code == 202, response.text
    found = until(client, "oneplan_hapi_errors_total", (("kind", "fhir-unavailable"),))
    assert found[("oneplan_outbox_depth", ())] == 1
    assert found[("oneplan_outbox_dead_letters", ())] == 0
    assert found[("oneplan_outbox_sync_lag_seconds", ())] > 0
    assert found[("oneplan_outbox_sent_total", ())] == 0


@respx.mock
def test_hapi_refusing_a_write_counts_an_error_and_a_dead_letter(client: TestClient) -> None:
    outcome = {"resourceType": "OperationOutcome",
               "issue": [{"severity": "error", "code": "processing", "diagnostics": "no"}]}
    respx.post(HAPI).respond(400, json=outcome)
    client.post(f"/intake/{VALID[0].program}", json=VALID[0].raw())
    found = until(client, "oneplan_outbox_dead_letters")
    assert found[("oneplan_hapi_errors_total", (("kind", "fhir-rejected"),))] == 1
    assert found[("oneplan_outbox_depth", ())] == 0


@respx.mock
def test_a_send_that_lands_is_counted(client: TestClient) -> None:
    respx.post(HAPI).mock(side_effect=transaction_response)
    assert client.post(f"/intake/{VALID[0].program}", json=VALID[0].raw()).status_code == 201
    found = until(client, "oneplan_outbox_sent_total")
    assert found[("oneplan_outbox_sent_total", ())] == 1
    assert not [k for k in found if k[0] == "oneplan_hapi_errors_total"]


def test_the_sync_lag_is_the_age_of_the_oldest_queued_entry() -> None:
    metrics = Metrics(lambda: Depth(queued=3, dead=1, oldest=NOON),
                      now=lambda: NOON.replace(second=30))
    found = samples(metrics.exposition().decode())
    assert found[("oneplan_outbox_depth", ())] == 3
    assert found[("oneplan_outbox_dead_letters", ())] == 1
    assert found[("oneplan_outbox_sync_lag_seconds", ())] == 30


def test_a_database_that_does_not_answer_leaves_out_only_the_outbox_gauges() -> None:
    def down() -> Depth:
        raise OperationalError("SELECT", {}, Exception("unable to open database file"))

    metrics = Metrics(down)
    metrics.failed("fhir-unavailable")
    found = samples(metrics.exposition().decode())
    assert found[("oneplan_hapi_errors_total", (("kind", "fhir-unavailable"),))] == 1
    assert not [k for k in found if k[0].startswith("oneplan_outbox_d")]
