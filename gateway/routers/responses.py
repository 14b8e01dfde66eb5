"""`POST /fhir/QuestionnaireResponse`: Green Form submissions (`gateway.usecases.submission`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse, Response

from gateway.db.outbox import Status
from gateway.http import openapi
from gateway.http.accepted import reply
from gateway.http.media import FhirJsonResponse
from gateway.http.negotiation import FhirRoute
from gateway.routers.fhir_api import fhir_base
from gateway.store import SYSTEM
from mappings.green_form import plan
from vocabulary.fhir import FHIR_JSON

router = APIRouter(prefix="/fhir", tags=["fhir"], route_class=FhirRoute)
LOCATION = {"Location": {"description": "the stored response, with its version",
                         "schema": {"type": "string"}}}


@router.post("/QuestionnaireResponse", status_code=201, response_class=FhirJsonResponse,
             responses=openapi.answers(
                 {200: (FHIR_JSON, "QuestionnaireResponse"),
                  201: (FHIR_JSON, "QuestionnaireResponse"),
                  202: (FHIR_JSON, "OperationOutcome")},
                 *openapi.BODY_EDGE, 409, 502, 503,
                 headers={200: LOCATION, 201: LOCATION, 202: openapi.QUEUED}),
             openapi_extra=openapi.json_body("QuestionnaireResponse",
                                             "a response to the Green Form"))
def submit_response(response: Annotated[Any, Body()], request: Request) -> Response:
    """201 with the stored response, its Location, and `Link`s to the referral's
    ServiceRequest and Task; 200 when the form was already stored (a resubmission); 202 when
    HAPI did not answer within ONEPLAN_SYNC_WAIT_MS (the form is kept and will be sent)."""
    ids = request.app.state.parts.submissions().accept(SYSTEM, response)
    return reply(request, ids, lambda status: _stored(request, status))


def _stored(request: Request, status: Status) -> Response:
    submitted = plan.stored(status.sent or {}, status.answer or {})
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
