"""Prometheus metrics of one app, in a registry of its own (never the process-wide default, so
several apps in one process do not clash).

Requests are labelled by their route's template (`/intake/{program}`), never the raw path, whose
values are unbounded; a path no route matches is `unmatched`, and an unknown method `other`.
The outbox's gauges are read from the database when scraped; the sync worker counts its sends
through `sent()` and `failed(kind)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from starlette import types as asgi

from gateway import clock
from gateway.db.outbox import Depth
from gateway.logs import logger

UNMATCHED = "unmatched"
# A client may send any token as a method: the rest are counted as `other`.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    def __init__(self, depth: Callable[[], Depth], now: Callable[[], datetime] = clock.now) -> None:
        """`depth`: the outbox's (`Outbox.depth`), read at each scrape."""
        self.registry = CollectorRegistry()
        self.requests = Counter("oneplan_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=self.registry)
        self.duration = Histogram("oneplan_http_request_duration_seconds",
                                  "Time to answer an HTTP request", ["method", "route"],
                                  registry=self.registry)
        self.hapi_errors = Counter("oneplan_hapi_errors", "Outbox sends to HAPI that failed",
                                   ["kind"], registry=self.registry)
        self.sends = Counter("oneplan_outbox_sent", "Outbox entries sent to HAPI",
                             registry=self.registry)
        self.registry.register(OutboxGauges(depth, now))

    def sent(self) -> None:
        self.sends.inc()

    def failed(self, kind: str) -> None:
        self.hapi_errors.labels(kind).inc()

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class OutboxGauges(Collector):
    """The outbox's depth, read when scraped; left out while the database does not answer, so
    the scrape still gives the rest."""

    def __init__(self, depth: Callable[[], Depth], now: Callable[[], datetime]) -> None:
        self.depth, self.now = depth, now

    def collect(self) -> Iterator[Metric]:
        try:
            depth = self.depth()
        except SQLAlchemyError as error:
            logger.warning("metrics.outbox_unavailable", error=str(error))
            return
        yield GaugeMetricFamily("oneplan_outbox_depth", "Outbox entries queued for HAPI",
                                value=depth.queued)
        yield GaugeMetricFamily("oneplan_outbox_dead_letters",
                                "Outbox entries HAPI refused for good", value=depth.dead)
        yield GaugeMetricFamily("oneplan_outbox_sync_lag_seconds",
                                "Age of the oldest queued outbox entry",
                                value=depth.lag(self.now()))


class RequestMetrics:
    """ASGI middleware: counts and times every HTTP request, by method, route and status."""

    def __init__(self, app: asgi.ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: asgi.Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            self.metrics.observe(method, route(scope), status,
                                 time.perf_counter() - started)


def route(scope: asgi.Scope) -> str:
    """The template of the route the router matched, e.g. `/intake/{program}`."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED
