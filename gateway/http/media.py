"""The media types the gateway answers, as response classes (they also document the OpenAPI)."""

from __future__ import annotations

from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4

from vocabulary.fhir import FHIR_JSON

SCHEMA_JSON = "application/schema+json"


class FhirJsonResponse(JSONResponse):
    media_type = FHIR_JSON


class SchemaJsonResponse(JSONResponse):
    media_type = SCHEMA_JSON


class PrometheusTextResponse(Response):
    media_type = CONTENT_TYPE_PLAIN_0_0_4
