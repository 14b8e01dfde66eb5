"""Liveness and readiness. Ready means the gateway's database answers: it accepts work while
HAPI is down, and the outbox sends it when HAPI is back, so HAPI's state is reported, not
required."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError

from gateway import clock
from gateway.http import openapi
from gateway.http.negotiation import FhirRoute
from gateway.store import SYSTEM, FhirStore
from vocabulary.errors import DatabaseUnavailable

router = APIRouter(tags=["health"], route_class=FhirRoute)
JSON = "application/json"


@router.get("/healthz", responses=openapi.answers({200: (JSON, "Health")}, *openapi.EDGE))
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses=openapi.answers({200: (JSON, "Ready")}, *openapi.EDGE, 503))
def readyz(request: Request) -> dict[str, Any]:
    probe: FhirStore = request.app.state.probe
    try:
        depth = request.app.state.store.outbox.depth()
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"the gateway's database does not answer: {error}") from error
    reachable = probe.answers(SYSTEM)
    hapi: dict[str, Any] = {"url": probe.base_url, "reachable": reachable}
    if reachable:
        hapi["software"] = probe.capabilities(SYSTEM).get("software", {})
    return {"status": "ready", "hapi": hapi,
            "outbox": {"queued": depth.queued, "dead": depth.dead,
                       "lag_seconds": round(depth.lag(clock.now()), 3)}}
