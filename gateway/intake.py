"""Program intake: `POST /intake/{program}` takes one native record, maps it, and writes the
resources to HAPI in one transaction; `GET /intake/{program}/schema` publishes its JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from gateway.client import FhirClient
from gateway.handlers import FHIR_JSON
from mappings import bundle, registry

router = APIRouter(prefix="/intake", tags=["intake"])


@router.get("/{program}/schema")
def record_schema(program: str) -> JSONResponse:
    return JSONResponse(registry.schema(program), media_type="application/schema+json")


@router.post("/{program}", status_code=201)
def intake(program: str, record: Annotated[Any, Body()], request: Request) -> JSONResponse:
    """201 with HAPI's transaction-response when anything was created, else 200."""
    written = write_record(request.app.state.fhir, program, record)
    return JSONResponse(written, status_code=201 if created(written) else 200,
                        media_type=FHIR_JSON)


def write_record(client: FhirClient, program: str, record: Any) -> dict[str, Any]:
    """Validate and map one record, then PUT its resources in one transaction.

    Validation and mapping finish before anything is sent, so a bad record writes nothing;
    the transaction is atomic on HAPI, so a failed write leaves nothing half written.
    """
    resources = registry.map_record(program, record)
    response = client.transaction(bundle.transaction(resources))
    result: dict[str, Any] = response.model_dump(mode="json", exclude_none=True)
    return result


def created(transaction_response: dict[str, Any]) -> bool:
    return any(str(e.get("response", {}).get("status", "")).startswith("201")
               for e in transaction_response.get("entry", []))
