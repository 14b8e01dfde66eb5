"""The media types the gateway answers, as response classes (they also document the OpenAPI)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from vocabulary.fhir import FHIR_JSON

SCHEMA_JSON = "application/schema+json"


class FhirJsonResponse(JSONResponse):
    media_type = FHIR_JSON


class SchemaJsonResponse(JSONResponse):
    media_type = SCHEMA_JSON
