"""The Questionnaires OnePlan publishes (today: the Green Form), read and searched by url.

They come from `profiles/`, not from HAPI: the gateway is their publisher.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.conformance import Conformance
from gateway.http import openapi
from gateway.http.media import FhirJsonResponse
from gateway.http.negotiation import FhirRoute
from gateway.routers.fhir_api import fhir_base
from vocabulary.errors import NotFound, UnsupportedParameter
from vocabulary.fhir import FHIR_JSON

router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=FhirRoute)
# `_format` is answered by content negotiation (gateway.http.negotiation).
SEARCH_PARAMETERS = frozenset({"url", "_format"})


@router.get("/Questionnaire/{questionnaire_id}", response_class=FhirJsonResponse,
            responses=openapi.answers({200: (FHIR_JSON, "Questionnaire")}, *openapi.EDGE, 404))
def read_questionnaire(questionnaire_id: str, request: Request) -> JSONResponse:
    found = _conformance(request).read("Questionnaire", questionnaire_id)
    if found is None:
        raise NotFound(f"Questionnaire/{questionnaire_id} is not known")
    return JSONResponse(found, media_type=FHIR_JSON)


@router.get("/Questionnaire", response_class=FhirJsonResponse, responses=openapi.answers(
    {200: (FHIR_JSON, "SearchsetBundle")}, *openapi.EDGE, 400))
def search_questionnaires(request: Request) -> JSONResponse:
    """`?url=<canonical>` or `?url=<canonical>|<version>`; no parameter lists them all."""
    params = request.query_params
    for name in params:
        if name not in SEARCH_PARAMETERS:
            raise UnsupportedParameter(f"Questionnaire search does not support {name!r}; "
                                       f"supported: url", expression=name)
    conformance = _conformance(request)
    found = (conformance.by_url("Questionnaire", params["url"]) if "url" in params
             else [r for r in conformance.resources if r["resourceType"] == "Questionnaire"])
    bundle = searchset(str(request.url), fhir_base(request), found)
    return JSONResponse(bundle, media_type=FHIR_JSON)


def searchset(self_url: str, base: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
    """https://hl7.org/fhir/R4/bundle.html#searchset, all on one page."""
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "link": [{"relation": "self", "url": self_url}],
            "entry": [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r,
                       "search": {"mode": "match"}} for r in resources]}


def _conformance(request: Request) -> Conformance:
    conformance: Conformance = request.app.state.conformance
    return conformance
