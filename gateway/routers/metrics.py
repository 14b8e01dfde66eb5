"""`GET /metrics`: the gateway's Prometheus metrics, in the text exposition format 0.0.4."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.http import openapi
from gateway.http.media import PrometheusTextResponse
from gateway.http.metrics import Metrics
from gateway.http.negotiation import FhirRoute

router = APIRouter(tags=["metrics"], route_class=FhirRoute)
TEXT = PrometheusTextResponse.media_type


@router.get("/metrics", response_class=PrometheusTextResponse,
            responses=openapi.answers({200: (TEXT, "Metrics")}, *openapi.EDGE))
def metrics(request: Request) -> PrometheusTextResponse:
    found: Metrics = request.app.state.metrics
    return PrometheusTextResponse(found.exposition())
