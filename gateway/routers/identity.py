"""Identity over HTTP: `POST /fhir/Patient/$match`, and the review queue under `/identity`
(possible matches with their scores explained, versioned decisions, the link history)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import JSONResponse

from gateway.http import openapi
from gateway.http.media import FhirJsonResponse
from gateway.http.negotiation import FhirRoute
from gateway.store import SYSTEM
from gateway.usecases.identity import Candidate, Identities
from vocabulary.errors import ValidationFailed
from vocabulary.fhir import FHIR_JSON, JSON

fhir = APIRouter(prefix="/fhir", tags=["fhir"], route_class=FhirRoute)
review = APIRouter(prefix="/identity", tags=["identity"], route_class=FhirRoute)
MATCH_PARAMETERS = "Parameters.parameter"


@fhir.post("/Patient/$match", response_class=FhirJsonResponse,
           responses=openapi.answers({200: (FHIR_JSON, "MatchBundle")}, *openapi.BODY_EDGE),
           openapi_extra=openapi.json_body("Parameters", "the $match input parameters"))
def match(parameters: Annotated[Any, Body()], request: Request) -> JSONResponse:
    """The golden records the Patient in `resource` resembles, best first, each with its
    `search.score` and match grade (https://hl7.org/fhir/R4/patient-operation-match.html)."""
    patient, only_certain, count = _inputs(parameters)
    identities: Identities = request.app.state.identities
    return JSONResponse(identities.match(patient, only_certain, count), media_type=FHIR_JSON)


def _inputs(parameters: Any) -> tuple[JSON, bool, int | None]:
    if not isinstance(parameters, dict) or parameters.get("resourceType") != "Parameters":
        raise ValidationFailed("$match takes a Parameters resource", expression="Parameters")
    given = parameters.get("parameter", [])
    if not isinstance(given, list):
        raise ValidationFailed("parameter is a list", expression=MATCH_PARAMETERS)
    found = {p["name"]: p for p in given
             if isinstance(p, dict) and isinstance(p.get("name"), str)}
    patient = found.get("resource", {}).get("resource")
    if not isinstance(patient, dict) or patient.get("resourceType") != "Patient":
        raise ValidationFailed("$match needs a Patient in the parameter 'resource'",
                               expression=f"{MATCH_PARAMETERS}.where(name='resource')")
    certain = found.get("onlyCertainMatches", {}).get("valueBoolean", False)
    count = found.get("count", {}).get("valueInteger")
    if not isinstance(certain, bool) or not (count is None or (
            isinstance(count, int) and not isinstance(count, bool) and 0 < count <= 100)):
        raise ValidationFailed("onlyCertainMatches is a boolean and count an integer from 1 "
                               "to 100", expression=MATCH_PARAMETERS)
    return patient, certain, count


@review.get("/review", responses=openapi.answers({200: ("application/json",
                                                        "IdentityReview")}, *openapi.EDGE))
def possible_matches(request: Request) -> list[dict[str, Any]]:
    """Every possible match waiting for a decision, scored field by field."""
    return [described(c) for c in request.app.state.identities.review()]


def described(candidate: Candidate) -> dict[str, Any]:
    found = candidate.score
    return {"source": candidate.source, "golden": candidate.golden,
            "version": candidate.version, "against": candidate.against,
            "score": found.total, "grade": found.grade, "verdict": found.verdict,
            "reason": found.reason,
            "fields": [{"field": f.field, "this": f.left, "golden": f.right,
                        "method": f.method, "similarity": f.similarity, "points": f.points,
                        "note": f.note} for f in found.fields]}


@review.post("/decisions", responses=openapi.answers(
    {200: ("application/json", "IdentityChange")}, *openapi.BODY_EDGE, 404, 409),
    openapi_extra=openapi.json_body("IdentityDecision", "a reviewer's decision"))
def decide(decision: Annotated[Any, Body()], request: Request) -> dict[str, Any]:
    """Accept (MATCH) or reject (NO_MATCH) a link, naming the version it was reviewed at; a
    MATCH undone with NO_MATCH unlinks the source. Moved records are derived again."""
    source, golden, state, version = _decision(decision)
    identities: Identities = request.app.state.identities
    if state == "NO_MATCH" and identities.golden_of(source) == golden:
        change = identities.unlink(source, version, SYSTEM.name)
    else:
        change = identities.decide(source, golden, state, version, SYSTEM.name)
    parts = request.app.state.parts
    rederived = parts.children.resend(change, parts.store.outbox.queue_in)
    parts.store.accepted.ring()
    return {"goldens": change.goldens, "rederived": rederived}


def _decision(body: Any) -> tuple[str, str, str, int]:
    if not isinstance(body, dict):
        raise ValidationFailed("A decision is a JSON object")
    for name in ("source", "golden", "state"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise ValidationFailed(f"{name} is a required string", expression=name)
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationFailed("version is the link's version, an integer from 1",
                               expression="version")
    return body["source"], body["golden"], body["state"], version


@review.get("/history/{key:path}", responses=openapi.answers(
    {200: ("application/json", "IdentityHistory")}, *openapi.EDGE, 404, 422))
def history(key: Annotated[str, Path(max_length=200)], request: Request
            ) -> list[dict[str, Any]]:
    """Every link of a source (`Patient/<id>`) or golden record made, changed or removed."""
    return [{"source": e.source, "golden": e.golden, "state": e.state, "how": e.how,
             "score": e.score, "by": e.by, "at": e.at.isoformat()}
            for e in request.app.state.identities.history(key)]
