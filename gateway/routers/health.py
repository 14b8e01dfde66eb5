"""Liveness and readiness. Ready means HAPI answers its CapabilityStatement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from gateway.http import openapi
from gateway.http.negotiation import FhirRoute
from gateway.store import SYSTEM, FhirStore

router = APIRouter(tags=["health"], route_class=FhirRoute)
JSON = "application/json"


@router.get("/healthz", responses=openapi.answers({200: (JSON, "Health")}, *openapi.EDGE))
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses=openapi.answers({200: (JSON, "Ready")}, *openapi.EDGE,
                                                 502, 503))
def readyz(request: Request) -> dict[str, Any]:
    probe: FhirStore = request.app.state.probe
    software = probe.capabilities(SYSTEM).get("software", {})
    return {"status": "ready", "hapi": {"url": probe.base_url, "software": software}}
