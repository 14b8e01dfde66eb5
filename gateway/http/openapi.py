"""The OpenAPI document as the gateway really answers: media types, every status an operation
can answer, and JSON Schemas of the FHIR shapes it sends (an OperationOutcome for every error).

The schemas check what a client relies on (resourceType, the required elements, their types);
the full FHIR definitions are at https://hl7.org/fhir/R4/.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from vocabulary.fhir import FHIR_JSON

REF = "#/components/schemas/"
JSON_TYPES = (FHIR_JSON, "application/json")

DESCRIPTIONS: dict[int, str] = {
    200: "OK",
    201: "Created",
    202: "Accepted and kept; not yet synced to the FHIR server (see Content-Location)",
    400: "The request is malformed: not JSON, not UTF-8, or a parameter is not supported",
    404: "Not found",
    406: "Accept or _format asks for something other than JSON",
    408: "The request body was not sent in time",
    409: "A conflicting write on the FHIR server",
    413: "The request body is too large",
    415: "The request body is not FHIR JSON",
    422: "The request is invalid (issue.expression points at each field), or nests too deep",
    502: "The FHIR server answered something the gateway cannot use",
    503: "The FHIR server is unavailable",
}
QUEUED = {"Content-Location": {"description": "the write's status: GET /outbox/{id}",
                               "schema": {"type": "string"}}}
# What every operation may answer at the edge, before it runs.
EDGE = (406,)
# What every operation that reads a body may answer at the edge.
BODY_EDGE = (400, 406, 408, 413, 415, 422)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"{REF}{name}"}


def answers(ok: dict[int, tuple[str, str]], *errors: int,
            headers: dict[int, dict[str, Any]] | None = None) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each success status with (media type, schema name), and
    each error status answered with an OperationOutcome."""
    documented: dict[int | str, dict[str, Any]] = {
        status: {"description": DESCRIPTIONS[status],
                 "content": {media_type: {"schema": ref(schema)}}}
        for status, (media_type, schema) in ok.items()}
    for status in sorted(set(errors)):
        documented[status] = {"description": DESCRIPTIONS[status],
                              "content": {FHIR_JSON: {"schema": ref("OperationOutcome")}}}
    for status, extra in (headers or {}).items():
        documented[status]["headers"] = extra
    return documented


def json_body(schema: str, description: str, example: Any = None) -> dict[str, Any]:
    """`openapi_extra=` for a route that reads a JSON body of `Annotated[Any, Body()]`."""
    media: dict[str, Any] = {"schema": ref(schema)}
    if example is not None:
        media["example"] = example
    return {"requestBody": {"required": True, "description": description,
                            "content": dict.fromkeys(JSON_TYPES, media)}}


def document(app: FastAPI) -> dict[str, Any]:
    """`app.openapi`: FastAPI's document with the schemas above as components."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, routes=app.routes,
                           description="A FHIR R4 gateway: JSON only "
                                       f"({FHIR_JSON}, application/json, _format=json).")
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        _drop_fastapi_validation_errors(spec, schemas)
        schemas.update(SCHEMAS)
        app.openapi_schema = spec
    return app.openapi_schema


def _drop_fastapi_validation_errors(spec: dict[str, Any], schemas: dict[str, Any]) -> None:
    """FastAPI documents a 422 `HTTPValidationError` for every route with a parameter; the
    gateway answers an OperationOutcome instead, and only where `answers()` says it may."""
    default = {"$ref": f"{REF}HTTPValidationError"}
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            media = responses.get("422", {}).get("content", {}).get("application/json", {})
            if media.get("schema") == default:
                del responses["422"]
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def _resource(name: str, required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": ["resourceType", *required],
            "properties": {"resourceType": {"const": name}, "id": {"type": "string"},
                           "meta": {"type": "object"}, **properties}}


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
CODING = {"type": "object", "properties": {"system": STRING, "code": STRING, "display": STRING}}
ANSWER_ITEMS = {"type": "array", "items": {"type": "object", "required": ["linkId"],
                                           "properties": {"linkId": STRING}}}

SCHEMAS: dict[str, Any] = {
    "OperationOutcome": _resource("OperationOutcome", ("issue",), issue={
        "type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["severity", "code"],
            "properties": {
                "severity": {"enum": ["fatal", "error", "warning", "information"]},
                "code": STRING,
                "details": {"type": "object", "properties": {
                    "coding": {"type": "array", "items": CODING}, "text": STRING}},
                "diagnostics": STRING,
                "expression": STRINGS}}}),
    "CapabilityStatement": _resource(
        "CapabilityStatement", ("status", "date", "kind", "fhirVersion", "format"),
        status={"enum": ["draft", "active", "retired", "unknown"]}, date=STRING,
        kind={"enum": ["instance", "capability", "requirements"]},
        fhirVersion={"const": "4.0.1"}, format=STRINGS,
        rest={"type": "array", "items": {"type": "object", "required": ["mode"]}}),
    "Questionnaire": _resource(
        "Questionnaire", ("status",), url=STRING, version=STRING,
        status={"enum": ["draft", "active", "retired", "unknown"]},
        item={"type": "array", "items": {"type": "object", "required": ["linkId", "type"]}}),
    "QuestionnaireResponse": _resource(
        "QuestionnaireResponse", ("status",), questionnaire=STRING,
        status={"enum": ["in-progress", "completed", "amended", "entered-in-error", "stopped"]},
        identifier={"type": "object"}, authored=STRING, item=ANSWER_ITEMS),
    "SearchsetBundle": _resource(
        "Bundle", ("type", "entry"), type={"const": "searchset"},
        total={"type": "integer", "minimum": 0},
        link={"type": "array", "items": {"type": "object", "required": ["relation", "url"]}},
        entry={"type": "array", "items": {
            "type": "object", "required": ["fullUrl", "resource"],
            "properties": {"fullUrl": STRING, "resource": ref("Questionnaire")}}}),
    "TransactionResponseBundle": _resource(
        "Bundle", ("type",), type={"const": "transaction-response"},
        entry={"type": "array", "items": {
            "type": "object", "required": ["response"],
            "properties": {"response": {"type": "object", "required": ["status"],
                                        "properties": {"status": STRING,
                                                       "location": STRING}}}}}),
    "MatchBundle": _resource(
        "Bundle", ("type",), type={"const": "searchset"},
        entry={"type": "array", "items": {
            "type": "object", "required": ["resource", "search"],
            "properties": {"resource": _resource("Patient"),
                           "search": {"type": "object", "required": ["mode", "score"],
                                      "properties": {"mode": {"const": "match"},
                                                     "score": {"type": "number"}}}}}}),
    "Parameters": _resource("Parameters", parameter={"type": "array", "items": {
        "type": "object", "required": ["name"], "properties": {"name": STRING}}}),
    "IdentityReview": {"type": "array", "items": {
        "type": "object", "required": ["source", "golden", "version", "score", "fields"],
        "properties": {"source": STRING, "golden": STRING, "version": {"type": "integer"},
                       "score": {"type": "number"}, "grade": STRING, "verdict": STRING,
                       "fields": {"type": "array", "items": {"type": "object"}}}}},
    "IdentityDecision": {"type": "object", "required": ["source", "golden", "state", "version"],
                         "properties": {"source": STRING, "golden": STRING,
                                        "state": {"enum": ["MATCH", "NO_MATCH"]},
                                        "version": {"type": "integer", "minimum": 1}}},
    "IdentityChange": {"type": "object", "required": ["goldens", "rederived"],
                       "properties": {"goldens": {"type": "object"},
                                      "rederived": {"type": "integer"}}},
    "IdentityHistory": {"type": "array", "items": {
        "type": "object", "required": ["source", "golden", "state", "how", "by", "at"]}},
    "Record": {"type": "object", "description": "One native record of the program; its JSON "
                                                 "Schema is GET /intake/{program}/schema"},
    "JsonSchema": {"type": "object", "description": "A JSON Schema (draft 2020-12)"},
    "Metrics": {"type": "string", "description": "Prometheus text exposition format 0.0.4"},
    "Health": {"type": "object", "required": ["status"],
               "properties": {"status": {"const": "ok"}}},
    "Ready": {"type": "object", "required": ["status", "hapi", "outbox"],
              "properties": {"status": {"const": "ready"},
                             "hapi": {"type": "object", "required": ["url", "reachable"],
                                      "properties": {"url": STRING,
                                                     "reachable": {"type": "boolean"},
                                                     "software": {"type": "object"}}},
                             "outbox": {"$ref": f"{REF}OutboxDepth"}}},
    "OutboxDepth": {"type": "object", "required": ["queued", "dead", "lag_seconds"],
                    "properties": {"queued": {"type": "integer"}, "dead": {"type": "integer"},
                                   "lag_seconds": {"type": "number"}}},
    "OutboxEntry": {
        "type": "object", "required": ["id", "state", "attempts", "record", "created"],
        "description": "An accepted write: queued, sent (with the FHIR server's answer) or "
                       "failed (with the OperationOutcome)",
        "properties": {"id": {"type": "integer"},
                       "state": {"enum": ["queued", "sent", "failed"]},
                       "attempts": {"type": "integer"}, "record": STRING, "created": STRING,
                       "sent": STRING, "response": {"type": "object"},
                       "outcome": {"$ref": f"{REF}OperationOutcome"}, "error": STRING}},
}
