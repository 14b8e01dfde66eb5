"""`POST /fhir/QuestionnaireResponse`: Green Form submissions (`gateway.usecases.submission`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from gateway.http import openapi
from gateway.http.media import FhirJsonResponse
from gateway.http.negotiation import FhirRoute
from gateway.routers.fhir_api import fhir_base
from gateway.store import SYSTEM
from gateway.usecases.submission import Submissions
from vocabulary.fhir import FHIR_JSON

router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=FhirRoute)
LOCATION = {"Location": {"description": "the stored response, with its version",
                         "schema": {"type": "string"}}}


@router.post("/QuestionnaireResponse", status_code=201, response_class=FhirJsonResponse,
             responses=openapi.answers(
                 {200: (FHIR_JSON, "QuestionnaireResponse"),
                  201: (FHIR_JSON, "QuestionnaireResponse")},
                 *openapi.BODY_EDGE, 409, 502, 503, headers={200: LOCATION, 201: LOCATION}),
             openapi_extra=openapi.json_body("QuestionnaireResponse",
                                             "a response to the Green Form"))
def submit_response(response: Annotated[Any, Body()], request: Request) -> JSONResponse:
    """201 with the stored response, its Location, and `Link`s to the referral's
    ServiceRequest and Task; 200 when the form was already stored (a resubmission)."""
    submissions = Submissions(request.app.state.store, request.app.state.conformance)
    submitted = submissions.submit(SYSTEM, response)
    base = fhir_base(request)
    stored = submitted.response
    version = stored.get("meta", {}).get("versionId")
    location = f"{base}/QuestionnaireResponse/{stored['id']}" + (
        f"/_history/{version}" if version else "")
    links = ", ".join(f'<{base}/{url}>; rel="related"; title="{url.split("/")[0]}"'
                      for url in submitted.related)
    headers = {"Location": location, **({"Link": links} if links else {})}
    return JSONResponse(stored, status_code=201 if submitted.created else 200,
                        headers=headers, media_type=FHIR_JSON)
