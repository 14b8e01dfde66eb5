"""The gateway's FHIR R4 REST API under /fhir."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.http import openapi
from gateway.http.media import FhirJsonResponse
from gateway.http.negotiation import FhirRoute
from gateway.routers.capability import capability_statement
from vocabulary.fhir import FHIR_JSON

router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=FhirRoute)
RELEASED = "2026-11-23"


@router.get("/metadata", response_class=FhirJsonResponse, responses=openapi.answers(
    {200: (FHIR_JSON, "CapabilityStatement")}, *openapi.EDGE))
def metadata(request: Request) -> JSONResponse:
    body: dict[str, Any] = capability_statement(fhir_base(request), RELEASED)
    return JSONResponse(body, media_type="application/fhir+json")


def fhir_base(request: Request) -> str:
    """The gateway's FHIR base url as this request reached it, e.g. `http://host:8080/fhir`."""
    return f"{str(request.base_url).rstrip('/')}/fhir"
