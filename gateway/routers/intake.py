"""`POST /intake/{program}` takes one native record (see `gateway.usecases.intake`);
`GET /intake/{program}/schema` publishes its JSON Schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from gateway.store import SYSTEM
from gateway.usecases.intake import created, write_record
from mappings import registry
from vocabulary.fhir import FHIR_JSON

router = APIRouter(prefix="/intake", tags=["intake"])


@router.get("/{program}/schema")
def record_schema(program: str) -> JSONResponse:
    return JSONResponse(registry.schema(program), media_type="application/schema+json")


@router.post("/{program}", status_code=201)
def intake(program: str, record: Annotated[Any, Body()], request: Request) -> JSONResponse:
    """201 with HAPI's transaction-response when anything was created, else 200."""
    written = write_record(request.app.state.store, SYSTEM, program, record)
    return JSONResponse(written, status_code=201 if created(written) else 200,
                        media_type=FHIR_JSON)
