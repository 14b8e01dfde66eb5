"""`POST /intake/{program}` takes one native record (see `gateway.usecases.intake`);
`GET /intake/{program}/schema` publishes its JSON Schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import JSONResponse, Response

from gateway.db.outbox import Status
from gateway.http import openapi
from gateway.http.accepted import reply
from gateway.http.media import SCHEMA_JSON, FhirJsonResponse, SchemaJsonResponse
from gateway.http.negotiation import FhirRoute
from gateway.store import SYSTEM
from gateway.usecases.intake import accept_record, created
from mappings import registry
from vocabulary.fhir import FHIR_JSON

router = APIRouter(prefix="/intake", tags=["intake"], route_class=FhirRoute)
Program = Annotated[str, Path(description="a program key; another one is answered 404",
                              examples=list(registry.PROGRAMS))]


@router.get("/{program}/schema", response_class=SchemaJsonResponse, responses=openapi.answers(
    {200: (SCHEMA_JSON, "JsonSchema")}, *openapi.EDGE, 404))
def record_schema(program: Program) -> JSONResponse:
    return JSONResponse(registry.schema(program), media_type="application/schema+json")


@router.post("/{program}", status_code=201, response_class=FhirJsonResponse,
             responses=openapi.answers(
                 {200: (FHIR_JSON, "TransactionResponseBundle"),
                  201: (FHIR_JSON, "TransactionResponseBundle"),
                  202: (FHIR_JSON, "OperationOutcome")},
                 *openapi.BODY_EDGE, 404, 409, 502, 503, headers={202: openapi.QUEUED}),
             openapi_extra=openapi.json_body("Record", "one native record of the program"))
def intake(program: Program, record: Annotated[Any, Body()], request: Request) -> Response:
    """The record is kept and queued for HAPI. 201 with HAPI's transaction-response when
    anything was created, 200 when nothing was new, 202 when HAPI did not answer within
    ONEPLAN_SYNC_WAIT_MS (the record is kept and will be sent)."""
    ids = accept_record(request.app.state.store, SYSTEM, program, record,
                        request.app.state.parts.children)
    return reply(request, ids, _written)


def _written(status: Status) -> Response:
    answer = status.answer or {}
    return JSONResponse(answer, status_code=201 if created(answer) else 200,
                        media_type=FHIR_JSON)
