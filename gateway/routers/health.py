"""Liveness and readiness. Ready means HAPI answers its CapabilityStatement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from gateway.store import SYSTEM, FhirStore

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> dict[str, Any]:
    probe: FhirStore = request.app.state.probe
    software = probe.capabilities(SYSTEM).get("software", {})
    return {"status": "ready", "hapi": {"url": probe.base_url, "software": software}}
