"""The one place where errors become HTTP responses: a FHIR OperationOutcome each."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from gateway.http.statuses import status
from gateway.logs import logger
from vocabulary import errors as err
from vocabulary.errors import MalformedJson, OnePlanError, ValidationFailed
from vocabulary.fhir import FHIR_JSON
from vocabulary.outcome import issues_from_validation, operation_outcome

# What an HTTPException raised by Starlette or FastAPI themselves stands for.
HTTP_ERRORS: dict[int, type[OnePlanError]] = {
    400: err.InvalidRequest,
    404: err.NotFound,
    405: err.MethodNotAllowed,
    406: err.NotAcceptable,
    408: err.RequestTimeout,
    413: err.PayloadTooLarge,
    415: err.UnsupportedMediaType,
    422: err.ValidationFailed,
}


def error_response(error: OnePlanError) -> JSONResponse:
    headers = {"Allow": ", ".join(error.allow)} if isinstance(error, err.MethodNotAllowed) else None
    return JSONResponse(operation_outcome(error), status_code=status(error), media_type=FHIR_JSON,
                        headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(OnePlanError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _request_validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


async def _domain(_: Request, exc: OnePlanError) -> JSONResponse:
    logger.info("request.rejected", code=exc.stable_code, status=status(exc), error=exc.message)
    return error_response(exc)


async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return await _domain(request, MalformedJson("request body is not valid JSON"))
    body_only = all(tuple(e["loc"])[:1] == ("body",) for e in errors)
    issues = issues_from_validation(errors, skip=1 if body_only else 0)
    return await _domain(request, ValidationFailed("request is invalid", issues=issues))


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 404:
        return await _domain(request, err.NotFound(f"no such endpoint: {request.url.path}"))
    if exc.status_code == 405:
        allow = tuple(m.strip() for m in (exc.headers or {}).get("Allow", "").split(",") if m)
        return await _domain(request, err.MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}; allowed: "
            f"{', '.join(allow) or 'none'}", allow=allow))
    error = HTTP_ERRORS.get(exc.status_code, OnePlanError)(str(exc.detail))
    response = await _domain(request, error)
    response.status_code = exc.status_code
    return response


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    logger.exception("request.failed", error=repr(exc))
    return error_response(OnePlanError("internal error; see the gateway log"))
